import { describe, expect, it } from 'vitest';
import type { Checkpoint, ScanEntry } from '../../checkpoints/checkpoint';
import { CheckpointSettingsSchema } from '../../checkpoints/checkpointSettings';
import type { CheckpointSettings } from '../../checkpoints/checkpointSettings';
import type { SshHost } from '../../hosts/sshHost';
import { silentLogger } from '../../logger';
import { checkpointStatusSchema } from '../../../shared/checkpointStatus';
import type { CheckpointMonitorDeps, MonitorLook } from './checkpointMonitor';
import { CheckpointMonitors } from './checkpointMonitor';

const HOST: SshHost = { id: 'h1', label: 'rig', source: 'settings', hostname: '127.0.0.1', port: 22, user: 'u', identityFiles: [], identitiesOnly: false };
const MIN = 60_000;

function ckpt(step: number, mtimeMs: number, sizeBytes = 1000): Checkpoint {
  const path = `ckpt/step_${String(step).padStart(6, '0')}.pt`;
  return { path, kind: 'file', format: 'pytorch', step, sizeBytes, mtimeMs, files: [{ path, size: sizeBytes }], complete: true };
}

/** A virtual clock with timers that run only when the test advances time. */
function world(start = 1_000_000_000) {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const looks: Array<{ signal: AbortSignal; settings: CheckpointSettings }> = [];
  const state = {
    files: [] as Checkpoint[],
    remoteSkewMs: 0,
    fail: undefined as Error | undefined,
    utils: [97, 95] as number[] | undefined,
    root: '/work/proj' as string | undefined,
    logs: undefined as ScanEntry[] | undefined,
  };
  const deps: CheckpointMonitorDeps = {
    look: async (_h, settings, signal): Promise<MonitorLook> => {
      looks.push({ signal, settings });
      if (state.fail) throw state.fail;
      return { checkpoints: state.files.map((c) => ({ ...c })), remoteNowMs: now + state.remoteSkewMs, truncated: false, ...(state.logs ? { logs: state.logs.map((l) => ({ ...l })) } : {}) };
    },
    settings: () => (state.root === undefined ? undefined : CheckpointSettingsSchema.parse({ root: state.root })),
    gpuUtilisations: () => state.utils,
    lastDownload: () => undefined,
    intervalMs: () => MIN,
    clock: { now: () => now },
    timers: {
      setTimeout: (fn, ms) => {
        const id = nextId++;
        timers.set(id, { at: now + ms, fn });
        return id;
      },
      clearTimeout: (h) => void timers.delete(h as number),
    },
    logger: silentLogger,
    newAbort: () => new AbortController(),
  };
  /** Moves the clock, firing due timers in order and letting each scan's promise settle. */
  async function advance(ms: number): Promise<void> {
    const end = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = Math.max(now, due[1].at);
      due[1].fn();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    }
    now = end;
  }
  return { deps, state, looks, timers, advance, now: () => now };
}

describe('HostCheckpointMonitor', () => {
  it('looks only while someone holds it, and aborts the look in flight when the last one lets go', async () => {
    const w = world();
    const m = new CheckpointMonitors(w.deps).for(HOST);
    await w.advance(10 * MIN);
    expect(w.looks).toHaveLength(0);
    const releaseA = m.acquire('dashboard');
    const releaseB = m.acquire('tree');
    await w.advance(0);
    expect(w.looks).toHaveLength(1);
    await w.advance(3 * MIN);
    expect(w.looks).toHaveLength(4);
    releaseA();
    await w.advance(MIN);
    expect(w.looks).toHaveLength(5);
    releaseB();
    releaseB();
    expect(m.running).toBe(false);
    await w.advance(10 * MIN);
    expect(w.looks).toHaveLength(5);
    expect(w.timers.size).toBe(0);
  });

  it('a checkpoint whose size moved between two looks is "writing", never the newest', async () => {
    const w = world();
    const t0 = w.now();
    w.state.files = [ckpt(100, t0 - 20 * MIN), ckpt(200, t0 - 10 * MIN), ckpt(300, t0 - 1000, 10)];
    const m = new CheckpointMonitors(w.deps).for(HOST);
    m.acquire('dashboard');
    await w.advance(0);
    w.state.files = [ckpt(100, t0 - 20 * MIN), ckpt(200, t0 - 10 * MIN), ckpt(300, t0 + 30_000, 5000)];
    await w.advance(MIN);
    const s = m.status();
    expect(s.state).toBe('ready');
    expect(s.newest?.path).toBe('ckpt/step_000200.pt');
    expect(s.writing.map((e) => e.path)).toEqual(['ckpt/step_000300.pt']);
    expect(s.recent.map((e) => e.step)).toEqual([200, 100]);
    expect(s.cadenceMs).toBe(10 * MIN);
    expect(checkpointStatusSchema.parse(s)).toEqual(s);
  });

  it('ages and overdue use the instance clock: a laptop 2 h behind still sees a 5-minute-old file', async () => {
    const w = world();
    w.state.remoteSkewMs = 2 * 60 * MIN;
    const remoteNow = w.now() + w.state.remoteSkewMs;
    w.state.files = [ckpt(1, remoteNow - 5 * MIN)];
    const m = new CheckpointMonitors(w.deps).for(HOST);
    m.acquire('x');
    await w.advance(0);
    expect(m.status().newest?.ageMs).toBe(5 * MIN);
    // "Since T" is asked on the local clock and converted.
    expect(m.newCheckpointSince(w.now() - 6 * MIN)?.step).toBe(1);
    expect(m.newCheckpointSince(w.now() - 4 * MIN)).toBeUndefined();
  });

  it('overdue after k x cadence while the GPUs are busy; not while they are quiet', async () => {
    const w = world();
    const t0 = w.now();
    // Every 10 minutes; the newest is 25 minutes old: due at 30 minutes (k = 3).
    w.state.files = [ckpt(1, t0 - 45 * MIN), ckpt(2, t0 - 35 * MIN), ckpt(3, t0 - 25 * MIN)];
    const m = new CheckpointMonitors(w.deps).for(HOST);
    m.acquire('x');
    await w.advance(0);
    expect(m.status().overdue).toBeUndefined();
    await w.advance(7 * MIN);
    expect(m.status().overdue).toEqual({ why: 'pastCadence', forMs: 2 * MIN });
    // A short dip (a save, a data-loader stall) does not blink it off; two quiet minutes do.
    w.state.utils = [0, 1];
    await w.advance(30_000);
    expect(m.status().overdue?.why).toBe('pastCadence');
    await w.advance(2 * MIN);
    expect(m.status().overdue).toBeUndefined();
    // Cannot measure counts as busy (product rule).
    w.state.utils = undefined;
    expect(m.status().overdue?.why).toBe('pastCadence');
  });

  it('"never in a run older than": no checkpoint at all, GPUs busy for longer than the setting', async () => {
    const w = world();
    const m = new CheckpointMonitors(w.deps).for(HOST);
    m.acquire('x');
    await w.advance(0);
    expect(m.status().overdue).toBeUndefined();
    await w.advance(59 * MIN);
    expect(m.status().overdue).toBeUndefined();
    await w.advance(2 * MIN);
    expect(m.status().overdue).toEqual({ why: 'noneYet', forMs: MIN });
    // Two quiet minutes end the run; the next busy sample starts a new one.
    w.state.utils = [0];
    await w.advance(2 * MIN + 1);
    expect(m.status().overdue).toBeUndefined();
    w.state.utils = [80];
    expect(m.status().overdue).toBeUndefined();
  });

  it('fires the progress signal once per newer finished checkpoint, not for what the first look found', async () => {
    const w = world();
    const t0 = w.now();
    w.state.files = [ckpt(1, t0 - 10 * MIN)];
    const m = new CheckpointMonitors(w.deps).for(HOST);
    const seen: number[] = [];
    m.onNewCheckpoint((c) => seen.push(c.step ?? -1));
    m.acquire('autoStop');
    await w.advance(0);
    await w.advance(MIN);
    expect(seen).toEqual([]);
    w.state.files = [ckpt(1, t0 - 10 * MIN), ckpt(2, t0 + MIN + 1)];
    await w.advance(MIN);
    // First look at step 2: "new", finished as far as one look can tell.
    expect(seen).toEqual([2]);
    await w.advance(MIN);
    expect(seen).toEqual([2]);
  });

  it('reports a growing log after each look in which it grew, and stops when it stops; a new folder is a new baseline', async () => {
    const w = world();
    const log = (size: number): ScanEntry => ({ path: 'train.log', size, mtimeMs: w.now() });
    w.state.logs = [log(100)];
    const m = new CheckpointMonitors(w.deps).for(HOST);
    const seen: string[] = [];
    m.onLogGrew((g) => seen.push(`${g.path}+${g.grewBytes}`));
    m.acquire('autoStop');
    await w.advance(0);
    expect(seen).toEqual([]);
    w.state.logs = [log(400)];
    await w.advance(MIN);
    w.state.logs = [log(900)];
    await w.advance(MIN);
    expect(seen).toEqual(['train.log+300', 'train.log+500']);
    await w.advance(2 * MIN);
    expect(seen).toHaveLength(2);
    // A failed look in between is no evidence either way; growth over it still counts.
    w.state.fail = new Error('reset');
    await w.advance(MIN);
    w.state.fail = undefined;
    w.state.logs = [log(1000)];
    await w.advance(MIN);
    expect(seen.at(-1)).toBe('train.log+100');
    w.state.root = '/other';
    w.state.logs = [log(5000)];
    m.rescan();
    await w.advance(0);
    expect(seen).toHaveLength(3);
  });

  it('a failed look keeps the last checkpoints and says why; the next good look clears it', async () => {
    const w = world();
    w.state.files = [ckpt(7, w.now() - MIN)];
    const m = new CheckpointMonitors(w.deps).for(HOST);
    const changes: string[] = [];
    m.onChange(() => changes.push(m.status().state));
    m.acquire('x');
    await w.advance(0);
    w.state.fail = new Error('connection reset');
    await w.advance(MIN);
    expect(m.status().state).toBe('error');
    expect(m.status().error).toBeTruthy();
    expect(m.status().newest?.step).toBe(7);
    w.state.fail = undefined;
    await w.advance(MIN);
    expect(changes).toEqual(['ready', 'error', 'ready']);
  });

  it('no project folder: says so and does not look; a new folder starts from a fresh first look', async () => {
    const w = world();
    w.state.root = undefined;
    const m = new CheckpointMonitors(w.deps).for(HOST);
    m.acquire('x');
    await w.advance(0);
    expect(w.looks).toHaveLength(0);
    expect(m.status().state).toBe('noFolder');
    w.state.root = '/a';
    w.state.files = [ckpt(1, w.now() - MIN)];
    m.rescan();
    await w.advance(0);
    expect(m.status().newest?.step).toBe(1);
    w.state.root = '/b';
    expect(m.status().state).toBe('scanning');
    expect(m.status().newest).toBeUndefined();
    m.rescan();
    await w.advance(0);
    expect(w.looks.at(-1)?.settings.root).toBe('/b');
    expect(m.status().state).toBe('ready');
  });
});
