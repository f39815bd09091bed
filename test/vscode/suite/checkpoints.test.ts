import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { rigInfo } from './env';
import { hostNode } from './helpers';

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
