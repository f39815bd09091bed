import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { rigInfo } from './env';
import { api, children, waitFor, type Node, type TestApi } from './helpers';

// Runs after the providers suite (files run in name order), which leaves the Vast.ai key set and its instance running.

interface PromptsApi extends TestApi {
  readonly providers: { hasKey(id: string): Promise<boolean> };
  readonly prompts: { readonly scriptedConfirms: boolean[]; readonly scriptedInputs: (string | undefined)[]; readonly asked: { readonly message: string; readonly detail: string }[] };
}

async function vastInstance(name: string, state: string, timeoutMs = 30_000): Promise<Node> {
  return waitFor(`${name} ${state} under Vast.ai`, async () => {
    const provider = (await children()).find((n) => n.label === 'Vast.ai');
    const node = provider ? (await children(provider.element)).find((n) => n.label === name) : undefined;
    return node?.contextValue.startsWith(`instance;vast;${state};`) ? node : undefined;
  }, timeoutMs);
}

suite('Save before stop (manual Stop/Terminate)', () => {
  const rig = rigInfo();
  const cloud = rig.cloud;
  if (!cloud) throw new Error('the test world started no cloud fakes (test/rig/cloudFakes.mjs)');

  test('Stop touches the trigger file, waits for the checkpoint the job then writes, and stops; Terminate asks while it was never downloaded', async () => {
    const project = path.join(rig.scratchDir, `save before stop ${Date.now()}`);
    const ckptDir = path.join(project, 'ckpt');
    mkdirSync(ckptDir, { recursive: true });
    const old = Math.floor(Date.now() / 1000) - 900;
    writeFileSync(path.join(ckptDir, 'step_000100.pt'), Buffer.alloc(2048));
    utimesSync(path.join(ckptDir, 'step_000100.pt'), old, old);
    const trigger = path.join(project, 'SAVE_NOW');
    const config = vscode.workspace.getConfiguration('remoteGpu.checkpoints');
    await config.update('hostFolders', { [cloud.vastInstance]: project }, vscode.ConfigurationTarget.Global);
    await config.update('saveBeforeStop.mode', 'triggerFile', vscode.ConfigurationTarget.Global);
    await config.update('saveBeforeStop.triggerFile', trigger, vscode.ConfigurationTarget.Global);
    await config.update('saveBeforeStop.waitMinutes', 1, vscode.ConfigurationTarget.Global);
    // The "training job": saves a new checkpoint when the trigger file appears (the rig is this machine).
    let sawTrigger = false;
    const job = setInterval(() => {
      if (sawTrigger || !existsSync(trigger)) return;
      sawTrigger = true;
      writeFileSync(path.join(ckptDir, 'step_000200.pt'), Buffer.alloc(4096));
    }, 200);
    try {
      const a = (await api()) as PromptsApi;
      if (!(await a.providers.hasKey('vast'))) {
        // Run alone (REMOTE_GPU_SUITES=saveBeforeStop): set the key the providers suite would have set.
        a.prompts.scriptedInputs.push(cloud.vastKey);
        await vscode.commands.executeCommand('remoteGpu.setApiKey', 'vast');
      }
      const running = await vastInstance(cloud.vastInstance, 'running');
      const asked = a.prompts.asked.length;
      a.prompts.scriptedConfirms.push(true);
      const started = Date.now();
      await vscode.commands.executeCommand('remoteGpu.stopInstance', running.element);
      assert.ok(sawTrigger, 'the trigger file was touched on the instance before the stop');
      assert.deepEqual(a.prompts.asked.slice(asked).map((q) => q.message).filter((m) => /Anyway|checkpoint/i.test(m)), [], 'no "stop anyway" question: the checkpoint came');
      await vastInstance(cloud.vastInstance, 'stopped', 15_000);
      assert.ok(Date.now() - started < 60_000, 'the wait ended when the checkpoint had held still, not at the 1-minute bound');

      const again = await vastInstance(cloud.vastInstance, 'stopped');
      await vscode.commands.executeCommand('remoteGpu.startInstance', again.element);
      const back = await vastInstance(cloud.vastInstance, 'running', 20_000);

      await config.update('saveBeforeStop.mode', undefined, vscode.ConfigurationTarget.Global);
      a.prompts.scriptedConfirms.push(true, false);
      await vscode.commands.executeCommand('remoteGpu.terminateInstance', back.element);
      const question = a.prompts.asked.at(-1);
      assert.match(question?.message ?? '', /checkpoint you never downloaded/);
      assert.match(question?.detail ?? '', /ckpt\/step_000200\.pt/);
      assert.ok((await vastInstance(cloud.vastInstance, 'running')).contextValue.includes(';running;'), 'declined: still running');
    } finally {
      clearInterval(job);
      for (const key of ['hostFolders', 'saveBeforeStop.mode', 'saveBeforeStop.triggerFile', 'saveBeforeStop.waitMinutes']) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
      rmSync(project, { recursive: true, force: true });
    }
  });
});
