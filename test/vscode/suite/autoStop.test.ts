import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { rigInfo } from './env';
import { api, children, describeNodes, providerNode, waitFor, type Node, type TestApi } from './helpers';

/** The parts of the test API this suite drives (src/vscode/extension.ts RemoteGpuTestApi). */
interface AutoStopApi extends TestApi {
  readonly prompts: { readonly scriptedConfirms: boolean[]; readonly scriptedInputs: (string | undefined)[] };
  readonly providers: { hasKey(id: string): Promise<boolean> };
  readonly autoStop: {
    readonly warnings: { readonly shown: readonly { key: string; message: string }[]; answer(key: string, choice: 'keep' | 'keepUntilISay' | 'stopNow'): void };
    verdict(key: string): { status: string; explanation: string; signals: { gpu: { state: string; since?: number } } } | undefined;
    audit(key: string): readonly string[];
    watching(key: string): boolean;
  };
  readonly cost: { readonly alerts: readonly string[] };
}

/**
 * The world's simulator replays its trace 20x faster, so its GPUs are never quiet for a whole window on their own (the
 * idle rule on the real trace is proven in src/core/idle/idleTrace.test.ts). The first test takes the maximum runtime
 * (same warning path: the pod was launched when the world started, so its 14 s are up as soon as auto-stop watches
 * it); the idle-window test makes the rig's GPUs quiet through the simulator's control file.
 */
const SETTINGS: Record<string, unknown> = {
  enabledFor: { runpod: true },
  maxRuntimeHours: 0.004,
  warningMinutes: 0.1,
  keepMinutes: 0.2,
};

/** A 15 s idle window (3 s GPU buckets) and a 3 s person window, for the idle-window test only. */
const IDLE_SETTINGS: Record<string, unknown> = {
  idleMinutes: 0.25,
  personMinutes: 0.05,
};

suite('Auto-stop', () => {
  const cloud = rigInfo().cloud;
  if (!cloud) throw new Error('the auto-stop suite needs the cloud fakes (startWorld with clouds)');
  const config = () => vscode.workspace.getConfiguration('remoteGpu.autoStop');

  async function runpodNode(ready: (n: Node) => boolean, timeoutMs = 30_000): Promise<Node> {
    return waitFor(`${cloud?.runpodPod} on RunPod`, async () => {
      const root = (await children()).find((n) => n.label === 'RunPod');
      if (!root) throw new Error(`no RunPod root: ${describeNodes(await children())}`);
      const node = (await children(root.element)).find((n) => n.label === cloud?.runpodPod);
      return node && ready(node) ? node : undefined;
    }, timeoutMs);
  }

  suiteSetup(async () => {
    const a = (await api()) as AutoStopApi;
    a.prompts.scriptedInputs.push(cloud.runpodKey);
    await vscode.commands.executeCommand('remoteGpu.setApiKey', 'runpod');
    for (const [k, v] of Object.entries(SETTINGS)) await config().update(k, v, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    writeFileSync(rigInfo().gpuSimControl, 'trace\n');
    for (const k of [...Object.keys(SETTINGS), ...Object.keys(IDLE_SETTINGS)]) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
    for (const k of ['perProvider', 'action']) await vscode.workspace.getConfiguration('remoteGpu.budget').update(k, undefined, vscode.ConfigurationTarget.Global);
    // Leave the world as the other suites expect it: the pod running and no RunPod key.
    const a = (await api()) as AutoStopApi;
    const node = await runpodNode(() => true).catch(() => undefined);
    if (node?.contextValue.startsWith('instance;runpod;stopped;')) {
      await vscode.commands.executeCommand('remoteGpu.startInstance', node.element);
      await runpodNode((n) => n.contextValue.startsWith('instance;runpod;running;'), 20_000).catch(() => undefined);
    }
    a.prompts.scriptedConfirms.push(true);
    await vscode.commands.executeCommand('remoteGpu.removeApiKey', 'runpod');
  });

  test('a pod on the rig past its maximum runtime gets a warning; Keep holds it; after the keep, Stop now stops it through RunPod', async function () {
    this.timeout(300_000);
    const a = (await api()) as AutoStopApi;
    // Counted before the pod is listed: its runtime is already up, so the warning comes as soon as it is watched.
    const before = a.autoStop.warnings.shown.length;
    const running = await runpodNode((n) => n.contextValue.startsWith('instance;runpod;running;'));
    const key = String(running.item.id).replace(/^instance:/, '');
    await waitFor('auto-stop watching the pod', () => (a.autoStop.watching(key) ? true : undefined), 20_000);

    const first = await waitFor('the first warning', () => a.autoStop.warnings.shown.slice(before).find((w) => w.key === key), 60_000).catch((e: Error) => {
      throw new Error(`${e.message}; verdict: ${a.autoStop.verdict(key)?.explanation ?? 'none'}; audit: ${a.autoStop.audit(key).join(' | ')}`);
    });
    assert.match(first.message, /will be stopped in [0-6] s\. Maximum runtime of 14 s reached\./);
    a.autoStop.warnings.answer(key, 'keep');
    await waitFor('the keep in the verdict', () => (a.autoStop.verdict(key)?.status === 'kept' ? true : undefined), 5_000);
    // The verdict changes before the state is saved; the audit line follows once it is.
    await waitFor('the keep in the audit log', () => (a.autoStop.audit(key).some((l) => / kept until /.test(l)) ? true : undefined), 5_000);

    // The keep lasts 12 s; the next idle stretch warns again.
    const second = await waitFor('a warning after the keep', () => a.autoStop.warnings.shown.slice(before + 1).find((w) => w.key === key), 60_000);
    assert.ok(second);
    a.autoStop.warnings.answer(key, 'stopNow');
    const stopped = await runpodNode((n) => n.contextValue.startsWith('instance;runpod;stopped;'), 30_000);
    assert.match(stopped.description, /stopped/);
    const audit = await waitFor('the stop in the audit log', () => {
      const lines = a.autoStop.audit(key);
      return lines.some((l) => / stop \(on request\)\. Stopped on request\./.test(l)) ? lines : undefined;
    }, 5_000);
    assert.equal(audit.filter((l) => / stop \(/.test(l)).length, 1, 'one stop, never two');
  });

  test('quiet GPUs on a rig pod (memory still held) over a 15 s idle window: a warning that names the GPU signal; Keep holds it; after the keep, Stop now stops it through RunPod', async function () {
    this.timeout(180_000);
    const a = (await api()) as AutoStopApi;
    const control = rigInfo().gpuSimControl;
    // The maximum runtime off, a short idle window on. The pod is stopped (the test above) and the tree says so, so
    // the reload this causes sees it down, and starting it again arms the idle rule afresh.
    await config().update('maxRuntimeHours', undefined, vscode.ConfigurationTarget.Global);
    for (const [k, v] of Object.entries(IDLE_SETTINGS)) await config().update(k, v, vscode.ConfigurationTarget.Global);
    const node = await runpodNode(() => true);
    if (node.contextValue.startsWith('instance;runpod;stopped;')) await vscode.commands.executeCommand('remoteGpu.startInstance', node.element);
    const running = await runpodNode((n) => n.contextValue.startsWith('instance;runpod;running;'), 30_000);
    const key = String(running.item.id).replace(/^instance:/, '');
    await waitFor('auto-stop watching the pod again', () => (a.autoStop.watching(key) ? true : undefined), 20_000);
    const signal = () => a.autoStop.verdict(key)?.signals.gpu;
    // The replayed trace first: training at 20x keeps every 3 s bucket busy, so nothing is idle before the switch.
    await waitFor('the GPU signal judged busy on the replayed trace', () => (signal()?.state === 'busy' ? true : undefined), 30_000).catch((e: Error) => {
      throw new Error(`${e.message}; verdict: ${JSON.stringify(a.autoStop.verdict(key))}`);
    });
    const warned = a.autoStop.warnings.shown.length;
    const audited = a.autoStop.audit(key).length;
    try {
      const quietFrom = Date.now();
      writeFileSync(control, 'idle\n');
      const first = await waitFor('the idle warning', () => a.autoStop.warnings.shown.slice(warned).find((w) => w.key === key), 60_000).catch((e: Error) => {
        throw new Error(`${e.message}; verdict: ${a.autoStop.verdict(key)?.explanation ?? 'none'}; audit: ${a.autoStop.audit(key).join(' | ')}`);
      });
      // 6 s ahead of a 15 s window, explained by the signal that went quiet.
      assert.match(first.message, /will be stopped in [0-6] s\. Idle: GPUs under 5 % for \d+ s; no activity in VS Code for \d+ s; no new checkpoint or log output for \d+ s\./);
      // Quiet since the bucket in which the file was written (3 s buckets), not since some earlier dip of the trace.
      const since = signal()?.since ?? 0;
      assert.ok(since >= quietFrom - 3_000 && since <= Date.now(), `GPUs quiet since ${new Date(since).toISOString()}, switched at ${new Date(quietFrom).toISOString()}`);
      assert.match(a.autoStop.audit(key).slice(audited).find((l) => / warning \(idle\)/.test(l)) ?? '', /stop at .*Idle: GPUs under 5 %/);

      a.autoStop.warnings.answer(key, 'keep');
      await waitFor('the keep in the verdict', () => (a.autoStop.verdict(key)?.status === 'kept' ? true : undefined), 5_000);
      await waitFor('the keep in the audit log', () => (a.autoStop.audit(key).slice(audited).some((l) => / kept until /.test(l)) ? true : undefined), 5_000);

      // The keep lasts 12 s; the GPUs are still quiet, so a fresh warning with the full countdown follows.
      const second = await waitFor('a warning after the keep', () => a.autoStop.warnings.shown.slice(warned + 1).find((w) => w.key === key), 60_000);
      assert.match(second.message, /Idle: GPUs under 5 % for \d+ s/);
      a.autoStop.warnings.answer(key, 'stopNow');
      const stopped = await runpodNode((n) => n.contextValue.startsWith('instance;runpod;stopped;'), 30_000);
      assert.match(stopped.description, /stopped/);
      const audit = await waitFor('the stop in the audit log', () => {
        const lines = a.autoStop.audit(key).slice(audited);
        return lines.some((l) => / stop \(on request\)\. Stopped on request\./.test(l)) ? lines : undefined;
      }, 5_000);
      const kinds = audit.map((l) => / (warning withdrawn|warning|kept|keep ended|stop)( |$)/.exec(l)?.[1] ?? l);
      assert.deepEqual(kinds, ['warning', 'kept', 'keep ended', 'warning', 'stop'], audit.join(' | '));
      assert.equal(audit.filter((l) => / stop \(/.test(l)).length, 1, 'one stop, never two');
    } finally {
      // Everything else on this rig (the other suites, the SSH hosts) expects the replayed trace.
      writeFileSync(control, 'trace\n');
      for (const k of Object.keys(IDLE_SETTINGS)) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('Install Auto-Stop Watchdog runs it on the SSH host (nohup on the rig), its state shows in the tooltip, Uninstall removes it', async function () {
    this.timeout(120_000);
    const rig = rigInfo();
    // The rig's sessions have a HOME of their own next to the sshd log: the watchdog lands in ~/.remote-gpu there.
    const dir = path.join(path.dirname(rig.gpuSshdLog), 'session-home', '.remote-gpu');
    const tooltipOf = async (): Promise<string> => {
      const node = (await children((await providerNode()).element)).find((n) => n.label === rig.settingsHost);
      const tip = node?.item.tooltip;
      return (tip instanceof vscode.MarkdownString ? tip.value : String(tip ?? '')).replace(/\\/g, '').replace(/&nbsp;/g, ' ');
    };
    await vscode.commands.executeCommand('remoteGpu.installWatchdog', rig.settingsHost);
    let pid = 0;
    try {
      assert.ok(existsSync(path.join(dir, 'watchdog.sh')), `the script is in ${dir}`);
      pid = Number(readFileSync(path.join(dir, 'watchdog.lock', 'pid'), 'utf8'));
      assert.ok(pid > 0, 'its lock names a running process');
      process.kill(pid, 0);
      await waitFor('the watchdog state in the tooltip', async () => ((await tooltipOf()).match(/watchdog (armed|starting)[^\n]*/) ?? undefined)?.[0], 10_000);
    } finally {
      await vscode.commands.executeCommand('remoteGpu.uninstallWatchdog', rig.settingsHost);
    }
    assert.ok(!existsSync(path.join(dir, 'watchdog.sh')), 'the script is gone');
    const alive = (): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor('the watchdog process to end', () => (alive() ? undefined : true), 10_000);
    assert.doesNotMatch(await tooltipOf(), /watchdog/);
  });

  test('a RunPod budget at 100 % with stopStoppable alerts once, warns, and stops the pod through RunPod when the warning runs out', async function () {
    this.timeout(120_000);
    const a = (await api()) as AutoStopApi;
    // Idle auto-stop and the maximum runtime off for this one: only the budget may stop the pod.
    await config().update('enabledFor', undefined, vscode.ConfigurationTarget.Global);
    await config().update('maxRuntimeHours', undefined, vscode.ConfigurationTarget.Global);
    const node = await runpodNode(() => true);
    if (node.contextValue.startsWith('instance;runpod;stopped;')) await vscode.commands.executeCommand('remoteGpu.startInstance', node.element);
    const running = await runpodNode((n) => n.contextValue.startsWith('instance;runpod;running;'), 20_000);
    const key = String(running.item.id).replace(/^instance:/, '');
    const warned = a.autoStop.warnings.shown.length;
    const alerted = a.cost.alerts.length;
    // The pod has billed since the world started: a hundredth of a cent a day is spent already. Changing a budget
    // setting runs a cost round at once.
    const budget = vscode.workspace.getConfiguration('remoteGpu.budget');
    await budget.update('action', 'stopStoppable', vscode.ConfigurationTarget.Global);
    await budget.update('perProvider', { runpod: { dailyUsd: 0.0001 } }, vscode.ConfigurationTarget.Global);
    const alert = await waitFor('the budget alert', () => a.cost.alerts.slice(alerted).find((m) => /RunPod/.test(m)), 30_000);
    assert.match(alert, /^Daily budget for RunPod of \$0\.0001: \$[0-9.]+ spent \(100 % reached\)\.$/);
    const warning = await waitFor('the budget warning', () => a.autoStop.warnings.shown.slice(warned).find((w) => w.key === key), 30_000);
    assert.match(warning.message, /Budget reached: Daily budget for RunPod of \$0\.0001 reached: stopping instances that can stop\./);
    // Nobody answers: the stop goes ahead at its time.
    await runpodNode((n) => n.contextValue.startsWith('instance;runpod;stopped;'), 40_000);
    const audit = await waitFor('the budget stop in the audit log', () => {
      const lines = a.autoStop.audit(key);
      return lines.some((l) => / stop \(budget\)\./.test(l)) ? lines : undefined;
    }, 5_000);
    assert.equal(audit.filter((l) => / stop \(budget\)/.test(l)).length, 1, 'one budget stop');
    assert.equal(a.cost.alerts.slice(alerted).filter((m) => /RunPod/.test(m)).length, 1, 'one alert for the day, not one per round');
  });
});
