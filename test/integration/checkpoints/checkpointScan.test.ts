import { appendFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHECKPOINT_SETTINGS } from '../../../src/core/checkpoints/checkpointSettings';
import type { CheckpointSettings } from '../../../src/core/checkpoints/checkpointSettings';
import { scanFilterOf } from '../../../src/core/checkpoints/scanFilter';
import { WritingTracker } from '../../../src/core/checkpoints/writingTracker';
import { lookAtCheckpoints, scanFiles } from '../../../src/remote/checkpoints/checkpointScanner';
import { SshConnection } from '../../../src/remote/sshConnection';
import { startSshd } from '../../rig/sshd.mjs';
import type { SshdRig } from '../../rig/sshd.mjs';
import { fakeBin, makeDeps, rigHost, scratchDir } from '../sshTestKit';
import { BUSYBOX_FIND, HOSTILE_NAMES, writeTree } from './checkpointRigKit';

const T = 1_795_341_900; // seconds, 2026-11-22
const TRAINER_STATE = JSON.stringify({ best_metric: 0.5, global_step: 512, log_history: [] });

describe('checkpoint scan over OpenSSH', () => {
  let rig: SshdRig;
  let busyRig: SshdRig;
  let conn: SshConnection;
  let busy: SshConnection;
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let project: string;

  const settings = (over: Partial<CheckpointSettings> = {}): CheckpointSettings => ({ ...DEFAULT_CHECKPOINT_SETTINGS, root: project, ...over });

  beforeAll(async () => {
    scratch = await scratchDir();
    // The project folder itself has a hostile name too.
    project = join(scratch.dir, `-proj $(touch pwned) it's`);
    const files: Record<string, { size: number; mtimeS: number }> = {};
    HOSTILE_NAMES.forEach((n, i) => (files[`hostile/${n}`] = { size: 100 + i, mtimeS: T + i }));
    Object.assign(files, {
      'runs/checkpoint-500/model.safetensors': { size: 4000, mtimeS: T + 100 },
      'runs/checkpoint-500/trainer_state.json': { size: 0, mtimeS: T + 100 },
      'runs/checkpoint-500/optimizer.pt': { size: 8000, mtimeS: T + 101 },
      'ds/global_step20/mp_rank_00_model_states.pt': { size: 300, mtimeS: T + 200 },
      'ds/latest': { size: 0, mtimeS: T + 201 },
      'lightning_logs/version_0/checkpoints/epoch=1-step=200.ckpt': { size: 50, mtimeS: T + 300 },
      'final/model-00001-of-00002.safetensors': { size: 10, mtimeS: T + 400 },
      'final/model-00002-of-00002.safetensors': { size: 10, mtimeS: T + 401 },
      'node_modules/x/step_99.pt': { size: 1, mtimeS: T + 999 },
      '.git/objects/step_98.pt': { size: 1, mtimeS: T + 999 },
      'src/train.py': { size: 1, mtimeS: T + 999 },
      'a/b/c/d/e/f/g/h/i/deep_step_5.pt': { size: 1, mtimeS: T + 999 },
    });
    await writeTree(project, files);
    await appendFile(join(project, 'runs/checkpoint-500/trainer_state.json'), TRAINER_STATE);
    await appendFile(join(project, 'ds/latest'), 'global_step20');
    const bin = await fakeBin(join(scratch.dir), 'find', BUSYBOX_FIND);
    rig = await startSshd();
    busyRig = await startSshd({ binDirs: [bin] });
    conn = await SshConnection.connect(rigHost(rig), makeDeps({ knownHostsFiles: [rig.knownHostsPath] }));
    busy = await SshConnection.connect(rigHost(busyRig), makeDeps({ knownHostsFiles: [busyRig.knownHostsPath] }));
  });
  afterAll(async () => {
    conn?.dispose();
    busy?.dispose();
    await rig?.stop();
    await busyRig?.stop();
    await scratch?.cleanup();
  });

  it('lists hostile names exactly, in one exec, and runs nothing they contain', async () => {
    const scan = await scanFiles(conn, project, scanFilterOf(settings()));
    expect(scan.via).toBe('find');
    const hostile = scan.entries.filter((e) => e.path.startsWith('hostile/')).sort((a, b) => a.size - b.size);
    expect(hostile.map((e) => e.path)).toEqual(HOSTILE_NAMES.map((n) => `hostile/${n}`));
    expect(hostile.map((e) => e.mtimeMs)).toEqual(HOSTILE_NAMES.map((_, i) => (T + i) * 1000));
    expect(scan.remoteNowMs).toBeGreaterThan(Date.now() - 60_000);
    // A `$(touch pwned)` that ran would leave the file in the session's working dir (sshd starts sessions in the
    // user's passwd home) or in the project.
    const cwd = (await conn.exec(['pwd'])).stdout.trim();
    expect(await readdir(cwd)).not.toContain('pwned');
    expect(await readdir(project)).not.toContain('pwned');
    // ...as a naively joined line does (which proves the place checked above is the right one).
    await conn.exec(['sh', '-c', `true ${HOSTILE_NAMES[3] ?? ''}`]);
    expect(await readdir(cwd)).toContain('pwned');
    await rm(join(cwd, 'pwned'));
  });

  it('prunes .git and node_modules, bounds the depth, lists only checkpoint-shaped files', async () => {
    const paths = (await scanFiles(conn, project, scanFilterOf(settings()))).entries.map((e) => e.path);
    expect(paths.some((p) => p.startsWith('node_modules/') || p.startsWith('.git/'))).toBe(false);
    expect(paths).not.toContain('src/train.py');
    expect(paths).not.toContain('a/b/c/d/e/f/g/h/i/deep_step_5.pt');
    const deeper = (await scanFiles(conn, project, scanFilterOf(settings({ maxDepth: 12 })))).entries.map((e) => e.path);
    expect(deeper).toContain('a/b/c/d/e/f/g/h/i/deep_step_5.pt');
  });

  it('reports truncation at the count bound', async () => {
    const scan = await scanFiles(conn, project, scanFilterOf(settings({ maxEntries: 100 })));
    expect(scan.truncated).toBe(false);
    // below the schema's minimum on purpose: the bound itself is what is tested
    const tiny = await scanFiles(conn, project, { ...scanFilterOf(settings()), maxEntries: 5 });
    expect(tiny).toMatchObject({ truncated: true });
    expect(tiny.entries).toHaveLength(5);
  });

  it('recognises the tree and reads trainer_state.json and DeepSpeed latest in a second exec', async () => {
    const look = await lookAtCheckpoints(conn, settings());
    const by = new Map(look.checkpoints.map((c) => [c.path, c]));
    expect(by.get('runs/checkpoint-500')).toMatchObject({ format: 'huggingface', step: 512, sizeBytes: 12_000 + TRAINER_STATE.length, trainerState: { bestMetric: 0.5 } });
    expect(by.get('ds/global_step20')).toMatchObject({ format: 'deepspeed', tag: 'latest', step: 20 });
    expect(by.get('final/model-*-of-00002.safetensors')).toMatchObject({ kind: 'shards', complete: true, sizeBytes: 20 });
    expect(by.get('lightning_logs/version_0/checkpoints/epoch=1-step=200.ckpt')).toMatchObject({ epoch: 1, step: 200 });
    expect(by.get('hostile/new\nline step_3.pt')).toMatchObject({ step: 3, sizeBytes: 102 });
    expect(look.checkpoints).toHaveLength(HOSTILE_NAMES.length + 4);
  });

  it('busybox find (no -printf): falls back to the SFTP walk with the same result', async () => {
    const viaFind = await scanFiles(conn, project, scanFilterOf(settings()));
    const viaBusy = await scanFiles(busy, project, scanFilterOf(settings()));
    expect(viaBusy.via).toBe('sftp');
    const norm = (es: typeof viaFind.entries) => es.map((e) => `${e.path}|${e.size}|${Math.floor(e.mtimeMs / 1000)}`).sort();
    expect(norm(viaBusy.entries)).toEqual(norm(viaFind.entries));
    const look = await lookAtCheckpoints(busy, settings());
    expect(look.scan.via).toBe('sftp');
    expect(look.checkpoints.find((c) => c.path === 'runs/checkpoint-500')?.step).toBe(512);
    expect(busy.log).toBeDefined();
  });

  it('a missing root is notFound on both paths', async () => {
    const missing = settings({ root: join(scratch.dir, 'nope') });
    await expect(scanFiles(conn, missing.root, scanFilterOf(missing))).rejects.toMatchObject({ reason: 'notFound' });
    await expect(scanFiles(busy, missing.root, scanFilterOf(missing))).rejects.toMatchObject({ reason: 'notFound' });
  });

  it('a file still being written is writing between two looks, then stable', async () => {
    const path = join(project, 'growing/step_900.pt');
    await writeTree(project, { 'growing/step_900.pt': { size: 10, mtimeS: T + 900 } });
    const tracker = new WritingTracker();
    const s = settings();
    tracker.observe((await lookAtCheckpoints(conn, s)).checkpoints);
    await appendFile(path, Buffer.alloc(1000));
    const second = tracker.observe((await lookAtCheckpoints(conn, s)).checkpoints);
    expect(second.checkpoints.find((t) => t.checkpoint.path === 'growing/step_900.pt')?.state).toBe('writing');
    expect(second.latest?.path).not.toBe('growing/step_900.pt');
    const third = tracker.observe((await lookAtCheckpoints(conn, s)).checkpoints);
    expect(third.checkpoints.find((t) => t.checkpoint.path === 'growing/step_900.pt')?.state).toBe('stable');
    expect(third.latest?.path).toBe('growing/step_900.pt');
  });
});
