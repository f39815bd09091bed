import { appendFile, readdir, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointSettingsSchema } from '../../../src/core/checkpoints/checkpointSettings';
import type { LogGrowth } from '../../../src/core/checkpoints/logGrowth';
import { DEFAULT_IDLE_POLICY } from '../../../src/core/idle/policy';
import { silentLogger } from '../../../src/core/logger';
import { AutoStopService } from '../../../src/core/services/autoStop/autoStopService';
import { CheckpointMonitors } from '../../../src/core/services/checkpoints/checkpointMonitor';
import type { HostCheckpointMonitor } from '../../../src/core/services/checkpoints/checkpointMonitor';
import { lookAtCheckpoints } from '../../../src/remote/checkpoints/checkpointScanner';
import { SshConnection } from '../../../src/remote/sshConnection';
import { nodeTimers } from '../../../src/remote/telemetry/nodeTelemetryPorts';
import { startSshd } from '../../rig/sshd.mjs';
import type { SshdRig } from '../../rig/sshd.mjs';
import { fakeBin, makeDeps, rigHost, scratchDir } from '../sshTestKit';
import { BUSYBOX_FIND, writeTree } from './checkpointRigKit';

const T = 1_795_341_900; // seconds, 2026-11-22
/** Log names a joined command line or a line-based parser would break on. */
const HOSTILE_LOGS = ['new\nline run.log', `it's "quoted" $(touch pwned).log`, 'tab\there `id`.out', '-rf nohup.out', 'ünïcødé 训练.log'];
/** "résult.log" with é in Latin-1: not UTF-8. */
const LATIN1 = Buffer.from([0x72, 0xe9, 0x73, 0x75, 0x6c, 0x74, 0x2e, 0x6c, 0x6f, 0x67]);

describe.each(['find', 'sftp'] as const)('growing logs as progress over OpenSSH (%s)', (via) => {
  let rig: SshdRig;
  let conn: SshConnection;
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let project: string;
  let monitor: HostCheckpointMonitor;
  const grew: LogGrowth[] = [];

  /** One look now; resolves once it is done (the monitor's interval is an hour, so only these looks run). */
  const look = async (): Promise<LogGrowth[]> => {
    const before = grew.length;
    await new Promise<void>((resolve) => {
      const off = monitor.onChange(() => {
        off();
        resolve();
      });
      monitor.rescan();
    });
    expect(monitor.status().error).toBeUndefined();
    return grew.slice(before);
  };

  beforeAll(async () => {
    scratch = await scratchDir();
    project = join(scratch.dir, `-proj $(touch pwned) it's`);
    const files: Record<string, { size: number; mtimeS: number }> = {
      'train.log': { size: 100, mtimeS: T },
      'ckpt/step_1.pt': { size: 10, mtimeS: T },
      'wandb/run-1/files/output.log': { size: 10, mtimeS: T },
      'wandb/run-1/logs/debug-internal.log': { size: 10, mtimeS: T },
      '.vscode-server/data/logs/exthost.log': { size: 10, mtimeS: T },
      'node_modules/x/npm.log': { size: 10, mtimeS: T },
      'lightning_logs/version_0/metrics.csv': { size: 10, mtimeS: T },
      'data/corpus.jsonl': { size: 10, mtimeS: T },
    };
    HOSTILE_LOGS.forEach((n) => (files[`hostile/${n}`] = { size: 1, mtimeS: T }));
    await writeTree(project, files);
    await writeFile(Buffer.concat([Buffer.from(`${project}/hostile/`), LATIN1]), 'x');
    // busybox's find has no -printf: that rig scans over SFTP, with the same filter and post-filter.
    const bin = via === 'sftp' ? [await fakeBin(join(scratch.dir), 'find', BUSYBOX_FIND)] : [];
    rig = await startSshd({ binDirs: bin });
    conn = await SshConnection.connect(rigHost(rig), makeDeps({ knownHostsFiles: [rig.knownHostsPath] }));
    const monitors = new CheckpointMonitors({
      look: async (_h, settings, signal) => {
        const l = await lookAtCheckpoints(conn, settings, { signal });
        expect(l.scan.via).toBe(via);
        return { checkpoints: l.checkpoints, remoteNowMs: l.scan.remoteNowMs, truncated: l.scan.truncated, ...(l.scan.logs ? { logs: l.scan.logs } : {}) };
      },
      settings: () => CheckpointSettingsSchema.parse({ root: project }),
      gpuUtilisations: () => [0],
      lastDownload: () => undefined,
      intervalMs: () => 3_600_000,
      clock: Date,
      timers: nodeTimers,
      logger: silentLogger,
      newAbort: () => new AbortController(),
    });
    monitor = monitors.for(rigHost(rig));
    monitor.onLogGrew((g) => grew.push(g));
    await new Promise<void>((resolve) => {
      const off = monitor.onChange(() => {
        off();
        resolve();
      });
      monitor.acquire('test');
    });
  });
  afterAll(async () => {
    monitor?.dispose();
    conn?.dispose();
    await rig?.stop();
    await scratch?.cleanup();
  });

  it('the first look is a baseline; a log that grows on the host is reported with its name and bytes', async () => {
    expect(grew).toEqual([]);
    expect(await look()).toEqual([]);
    await appendFile(join(project, 'train.log'), Buffer.alloc(12_288, 65));
    const [g] = await look();
    expect(g).toMatchObject({ path: 'train.log', grewBytes: 12_288, files: 1 });
    // ...and it ran nothing the names hold.
    expect(await readdir(project)).not.toContain('pwned');
  });

  it('a log that stops growing stops counting', async () => {
    expect(await look()).toEqual([]);
    expect(await look()).toEqual([]);
  });

  it('touch is not growth; a rotated (smaller) log is no error and grows again from its new size', async () => {
    await utimes(join(project, 'train.log'), T + 500, T + 500);
    expect(await look()).toEqual([]);
    await truncate(join(project, 'train.log'), 0);
    expect(await look()).toEqual([]);
    await appendFile(join(project, 'train.log'), 'epoch 2\n');
    expect(await look()).toMatchObject([{ path: 'train.log', grewBytes: 8 }]);
  });

  it('hostile names (newline, quotes, $(), tab, leading dash, unicode, not UTF-8) are read exactly', async () => {
    for (const n of HOSTILE_LOGS) {
      await appendFile(join(project, 'hostile', n), 'more\n');
      expect((await look()).map((g) => [g.path, g.grewBytes])).toEqual([[`hostile/${n}`, 5]]);
    }
    await appendFile(Buffer.concat([Buffer.from(`${project}/hostile/`), LATIN1]), 'more');
    const [g] = await look();
    expect(g?.path).toMatch(/^hostile\/r.+sult\.log$/);
    expect(g?.grewBytes).toBe(4);
    expect(await readdir(project)).not.toContain('pwned');
  });

  it("wandb's console log and Lightning's metrics count; wandb's debug log, hidden and pruned folders, data files do not", async () => {
    for (const rel of ['wandb/run-1/logs/debug-internal.log', '.vscode-server/data/logs/exthost.log', 'node_modules/x/npm.log', 'data/corpus.jsonl']) {
      await appendFile(join(project, rel), 'tick\n');
      expect([rel, await look()]).toEqual([rel, []]);
    }
    await appendFile(join(project, 'wandb/run-1/files/output.log'), 'step 10 loss 1.2\n');
    expect((await look()).map((g) => g.path)).toEqual(['wandb/run-1/files/output.log']);
    await appendFile(join(project, 'lightning_logs/version_0/metrics.csv'), '1,0.5\n');
    expect((await look()).map((g) => g.path)).toEqual(['lightning_logs/version_0/metrics.csv']);
  });

  it('the idle verdict names the log as the progress signal, until the window runs out', async () => {
    let now = Date.now();
    const policy = { ...DEFAULT_IDLE_POLICY, idleWindowMs: 60_000, personWindowMs: 30_000, warnAheadMs: 20_000, bucketMs: 10_000 };
    const service = new AutoStopService({
      clock: { now: () => now },
      store: { load: () => undefined, save: () => Promise.resolve() },
      actions: { warn: () => undefined, withdraw: () => undefined, stop: () => Promise.resolve() },
      logger: silentLogger,
      policyFor: () => policy,
    });
    const off = monitor.onLogGrew((g) => void service.observe('ssh:rig', { kind: 'progress', what: 'logGrew', path: g.path, bytes: g.grewBytes }));
    await appendFile(join(project, 'train.log'), Buffer.alloc(3000, 66));
    await look();
    off();
    now += 30_000;
    await service.observe('ssh:rig', { kind: 'gpuSample', utilisationPercent: [0] });
    expect(service.verdict('ssh:rig')?.signals.progress).toMatchObject({ state: 'busy', text: 'train.log grew by 2.9 KiB, 30 s ago' });
    now += 31_000;
    await service.observe('ssh:rig', { kind: 'gpuSample', utilisationPercent: [0] });
    expect(service.verdict('ssh:rig')?.signals.progress.state).toBe('quiet');
  });
});
