import { describe, expect, it } from 'vitest';
import { RemoteGpuError } from '../errors';
import type { ExecResult, RemoteExec } from '../remote/remoteCommand';
import type { Checkpoint } from './checkpoint';
import { CheckpointSettingsSchema } from './checkpointSettings';
import type { SaveWaitProgress, WaitClock } from './saveBeforeStop';
import { saveBeforeStop } from './saveBeforeStop';

const ck = (mtimeMs: number, sizeBytes = 10): Checkpoint => ({ path: `step_${mtimeMs}.pt`, kind: 'file', format: 'pytorch', sizeBytes, mtimeMs, files: [], complete: true });

/** A virtual clock: sleep advances time at once, and the "job" reacts to the time. */
function world(script: (now: number, requested: number | undefined) => Checkpoint[], code = 0) {
  let now = 0;
  let requested: number | undefined;
  const calls: (readonly string[])[] = [];
  const clock: WaitClock = {
    now: () => now,
    sleep: (ms, signal) => {
      if (signal?.aborted) return Promise.reject(new RemoteGpuError('cancelled', 'Cancelled.'));
      now += ms;
      return Promise.resolve();
    },
  };
  const exec: RemoteExec = {
    exec: (argv): Promise<ExecResult> => {
      calls.push(argv);
      requested = now;
      return Promise.resolve({ stdout: '', stderr: code ? 'boom' : '', code, signal: null });
    },
  };
  return { clock, exec, calls, look: () => Promise.resolve(script(now, requested)) };
}

const tenMinutes = 10 * 60_000;

describe('saveBeforeStop (virtual clock)', () => {
  it('touches the trigger file (quoted argv) and waits for a newer, finished checkpoint', async () => {
    // The job notices the trigger 25 s later and takes 20 s to write: size grows, then stays.
    const w = world((now, req) => {
      const old = [ck(-50_000)];
      if (req === undefined || now < req + 25_000) return old;
      return [...old, { ...ck(req + 25_000), sizeBytes: now < req + 45_000 ? now : 45_000 }];
    });
    const progress: SaveWaitProgress[] = [];
    const r = await saveBeforeStop(
      { exec: w.exec, look: w.look, clock: w.clock },
      { config: { mode: 'triggerFile', path: '~/run/-save now' }, waitMs: tenMinutes, pollMs: 10_000, onProgress: (p) => progress.push(p) },
    );
    expect(w.calls).toEqual([['touch', '--', 'run/-save now']]);
    expect(r).toMatchObject({ outcome: 'saved', checkpoint: { mtimeMs: 25_000 } });
    // written until 45 s, unchanged at 50 s and 60 s: the second unchanged look is the earliest "finished".
    expect(r.outcome === 'saved' && r.waitedMs).toBe(60_000);
    expect(progress[0]).toEqual({ phase: 'requesting', elapsedMs: 0, remainingMs: tenMinutes });
    expect(progress.at(-1)?.remainingMs).toBe(tenMinutes - 50_000);
  });

  it('gives up after the bound (default 10 min) when no newer checkpoint comes', async () => {
    const w = world(() => [ck(1)]);
    const cfg = CheckpointSettingsSchema.parse({ saveBeforeStop: { mode: 'command', argv: ['kill', '-USR1', '$(cat pid)'] } });
    const r = await saveBeforeStop({ exec: w.exec, look: w.look, clock: w.clock }, { config: cfg.saveBeforeStop, waitMs: cfg.saveWaitMinutes * 60_000 });
    expect(r).toEqual({ outcome: 'timedOut', waitedMs: tenMinutes });
    expect(w.calls).toEqual([['kill', '-USR1', '$(cat pid)']]);
  });

  it('off does nothing; a failing command is a remoteFailed error; a cancel stops the wait', async () => {
    const w = world(() => []);
    expect(await saveBeforeStop({ exec: w.exec, look: w.look, clock: w.clock }, { config: { mode: 'off' }, waitMs: 1 })).toEqual({ outcome: 'off' });
    expect(w.calls).toEqual([]);
    const failing = world(() => [], 2);
    await expect(saveBeforeStop({ exec: failing.exec, look: failing.look, clock: failing.clock }, { config: { mode: 'command', argv: ['false'] }, waitMs: 1 })).rejects.toMatchObject({ reason: 'remoteFailed' });
    const ac = new AbortController();
    ac.abort();
    await expect(saveBeforeStop({ exec: w.exec, look: w.look, clock: w.clock }, { config: { mode: 'command', argv: ['true'] }, waitMs: tenMinutes, signal: ac.signal })).rejects.toMatchObject({ reason: 'cancelled' });
  });

  it('settings: defaults from the issue, and a shell line is not accepted as argv', () => {
    const d = CheckpointSettingsSchema.parse({});
    expect(d).toMatchObject({ overdueFactor: 3, saveWaitMinutes: 10, saveBeforeStop: { mode: 'off' } });
    expect(d.exclude).toContain('.git');
    expect(CheckpointSettingsSchema.safeParse({ saveBeforeStop: { mode: 'command', argv: 'kill -USR1 1' } }).success).toBe(false);
    expect(CheckpointSettingsSchema.safeParse({ extraPatterns: ['a/b.pt'] }).success).toBe(false);
  });
});
