import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { recordMetric, rigInfo } from './env';
import { api, hostNode, waitFor } from './helpers';

interface Downloaded {
  readonly checkpoint: { readonly path: string; readonly step?: number };
  readonly files: readonly string[];
  readonly transferredBytes: number;
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

suite('Download Latest Checkpoint', () => {
  const rig = rigInfo();

  test('from the host node: the newest finished checkpoint lands in the chosen folder, byte for byte', async () => {
    // The rig's sshd runs on this machine: the "remote" project is a local folder the session can read.
    const project = path.join(rig.scratchDir, `ckpt project ${Date.now()}`);
    const local = path.join(rig.scratchDir, `ckpt download ${Date.now()}`);
    mkdirSync(path.join(project, 'checkpoints'), { recursive: true });
    const old = Math.floor(Date.now() / 1000) - 600;
    const newest = randomBytes(2 * 1024 * 1024);
    writeFileSync(path.join(project, 'checkpoints', 'step_000595.pt'), randomBytes(1000));
    writeFileSync(path.join(project, 'checkpoints', 'step_001214.pt'), newest);
    utimesSync(path.join(project, 'checkpoints', 'step_000595.pt'), old, old);
    utimesSync(path.join(project, 'checkpoints', 'step_001214.pt'), old + 8, old + 8);
    try {
      const host = await hostNode(rig.gpuHost);
      const result = await vscode.commands.executeCommand<Downloaded | undefined>('remoteGpu.downloadLatestCheckpoint', host.element, { root: project, localDir: local });
      assert.ok(result, 'the command returned what it downloaded (an error would have returned undefined)');
      assert.equal(result.checkpoint.path, 'checkpoints/step_001214.pt');
      assert.equal(result.checkpoint.step, 1214);
      assert.equal(result.transferredBytes, newest.length);
      assert.deepEqual(readdirSync(local), ['step_001214.pt']);
      assert.equal(sha(readFileSync(path.join(local, 'step_001214.pt'))), sha(newest));
    } finally {
      rmSync(project, { recursive: true, force: true });
      rmSync(local, { recursive: true, force: true });
    }
  });
});

/** The parts of the test API this suite reads (RemoteGpuTestApi in src/vscode/extension.ts). */
interface CheckpointApi {
  readonly instancesTree: { getTreeItem(node: unknown): vscode.TreeItem };
  readonly instancesView: vscode.TreeView<unknown>;
  readonly checkpoints: {
    for(host: unknown): {
      readonly running: boolean;
      status(): {
        state: string;
        root: string;
        newest?: { path: string; step?: number; sizeBytes: number; ageMs: number };
        recent: Array<{ path: string }>;
        writing: Array<{ path: string }>;
        cadenceMs?: number;
        overdue?: { why: string; forMs: number };
      };
    };
  };
}

function dashboardTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('GPUs: '));
}

suite('Checkpoint status (dashboard section and tree)', () => {
  const rig = rigInfo();

  test('an open dashboard looks at the project on the host: newest, recent, cadence; closing it stops the looks', async () => {
    const project = path.join(rig.scratchDir, `ckpt status ${Date.now()}`);
    const dir = path.join(project, 'run 1', 'checkpoints');
    mkdirSync(dir, { recursive: true });
    const old = Math.floor(Date.now() / 1000) - 600;
    // Three Lightning checkpoints 2 minutes apart, and a file that is not a checkpoint.
    for (const [i, name] of ['epoch=0-step=100.ckpt', 'epoch=0-step=200.ckpt', 'epoch=1-step=300.ckpt'].entries()) {
      writeFileSync(path.join(dir, name), randomBytes(4096 * (i + 1)));
      utimesSync(path.join(dir, name), old + i * 120, old + i * 120);
    }
    writeFileSync(path.join(project, 'notes.txt'), 'not a checkpoint');
    const config = vscode.workspace.getConfiguration('remoteGpu.checkpoints');
    await config.update('hostFolders', { [rig.gpuHost]: project }, vscode.ConfigurationTarget.Global);
    try {
      const node = await hostNode(rig.gpuHost);
      const host = (node.element as { host: unknown }).host;
      const ext = (await api()) as unknown as CheckpointApi;
      const monitor = ext.checkpoints.for(host);
      const started = Date.now();
      await vscode.commands.executeCommand('remoteGpu.openDashboard', node.element);
      const status = await waitFor('the checkpoint status of the open dashboard', () => {
        const s = monitor.status();
        return s.state === 'ready' && s.newest ? s : undefined;
      }, 30_000);
      recordMetric('checkpointFirstStatusMs', Date.now() - started);
      assert.ok(monitor.running, 'the dashboard holds the monitor');
      assert.equal(status.root, project);
      assert.equal(status.newest?.path, 'run 1/checkpoints/epoch=1-step=300.ckpt');
      assert.equal(status.newest?.step, 300);
      assert.equal(status.newest?.sizeBytes, 3 * 4096);
      assert.ok(Math.abs((status.newest?.ageMs ?? 0) - 360_000) < 60_000, `age about 6 minutes, got ${status.newest?.ageMs}`);
      assert.deepEqual(status.recent.map((r) => r.path.split('/').pop()), ['epoch=1-step=300.ckpt', 'epoch=0-step=200.ckpt', 'epoch=0-step=100.ckpt']);
      assert.equal(status.cadenceMs, 120_000);
      assert.deepEqual(status.writing, []);

      // The tree shows the age on the host node while the node is expanded in the visible view.
      await vscode.commands.executeCommand('remoteGpu.instances.focus');
      await ext.instancesView.reveal(node.element, { expand: true, focus: false, select: false });
      const description = await waitFor('the checkpoint age in the host description', () => {
        const d = String(ext.instancesTree.getTreeItem(node.element).description ?? '');
        return /checkpoint/.test(d) ? d : undefined;
      }, 30_000);
      assert.match(description, /checkpoint (\d+m ago|overdue)/);

      for (const tab of dashboardTabs()) await vscode.window.tabGroups.close(tab);
      await vscode.commands.executeCommand('workbench.actions.treeView.remoteGpu.instances.collapseAll');
      await waitFor('the monitor to stop once no dashboard or expanded node holds it', () => (monitor.running ? undefined : true), 20_000);
    } finally {
      await config.update('hostFolders', undefined, vscode.ConfigurationTarget.Global);
      rmSync(project, { recursive: true, force: true });
    }
  });
});
