import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../checkpoints/checkpoint';
import { RemoteGpuError } from '../../errors';
import type { BeforeStopPorts, BeforeStopQuestion } from './beforeStop';
import { beforeStop } from './beforeStop';

const ck = (step: number, mtimeMs: number): Checkpoint => ({ path: `s_${step}.pt`, kind: 'file', format: 'pytorch', step, sizeBytes: 1, mtimeMs, files: [], complete: true });

function ports(o: Partial<BeforeStopPorts> & { answers?: boolean[] }): { p: BeforeStopPorts; asked: BeforeStopQuestion[]; saves: number } {
  const asked: BeforeStopQuestion[] = [];
  const answers = [...(o.answers ?? [])];
  const box = { saves: 0 };
  const p: BeforeStopPorts = {
    action: 'stop',
    saveConfig: { mode: 'off' },
    waitMs: 600_000,
    save: async () => {
      box.saves++;
      return { outcome: 'saved', checkpoint: ck(9, 9000), waitedMs: 5 };
    },
    newestFinished: async () => ck(1, 1000),
    lastDownload: undefined,
    onProgress: () => undefined,
    confirm: async (q) => {
      asked.push(q);
      return answers.shift() ?? false;
    },
    ...o,
  };
  return {
    p,
    asked,
    get saves() {
      return box.saves;
    },
  };
}

describe('beforeStop', () => {
  it('save off, stop: goes without asking or looking', async () => {
    const w = ports({ newestFinished: () => Promise.reject(new Error('must not look')) });
    expect(await beforeStop(w.p)).toBe('go');
    expect(w.asked).toEqual([]);
    expect(w.saves).toBe(0);
  });

  it('asks the job to save, and a timed-out wait asks whether to stop anyway', async () => {
    const timedOut = ports({ saveConfig: { mode: 'triggerFile', path: 'SAVE' }, save: async () => ({ outcome: 'timedOut', waitedMs: 600_000 }), answers: [false] });
    expect(await beforeStop(timedOut.p)).toBe('abort');
    expect(timedOut.asked).toEqual([{ kind: 'saveTimedOut', waitedMs: 600_000 }]);
    const saved = ports({ saveConfig: { mode: 'command', argv: ['kill', '-USR1', '42'] } });
    expect(await beforeStop(saved.p)).toBe('go');
    expect(saved.saves).toBe(1);
    expect(saved.asked).toEqual([]);
  });

  it('a failed save request is a question; a cancel aborts the whole stop', async () => {
    const failed = ports({ saveConfig: { mode: 'triggerFile', path: 'x' }, save: () => Promise.reject(new RemoteGpuError('remoteFailed', 'Touching the save trigger file failed (exit 1).')), answers: [true] });
    expect(await beforeStop(failed.p)).toBe('go');
    expect(failed.asked[0]?.kind).toBe('saveFailed');
    const cancelled = ports({ saveConfig: { mode: 'triggerFile', path: 'x' }, save: () => Promise.reject(new RemoteGpuError('cancelled', 'Cancelled.')) });
    await expect(beforeStop(cancelled.p)).rejects.toMatchObject({ reason: 'cancelled' });
  });

  it('terminate refuses while the newest checkpoint is newer than the last download, unless confirmed', async () => {
    const never = ports({ action: 'terminate', answers: [false] });
    expect(await beforeStop(never.p)).toBe('abort');
    expect(never.asked).toEqual([{ kind: 'notDownloaded', why: 'neverDownloaded', newest: ck(1, 1000) }]);
    const older = ports({ action: 'terminate', lastDownload: { path: 's_0.pt', mtimeMs: 500 }, answers: [true] });
    expect(await beforeStop(older.p)).toBe('go');
    expect(older.asked[0]).toMatchObject({ kind: 'notDownloaded', why: 'newerThanDownload' });
    const current = ports({ action: 'terminate', lastDownload: { path: 's_1.pt', mtimeMs: 1000 } });
    expect(await beforeStop(current.p)).toBe('go');
    expect(current.asked).toEqual([]);
    const none = ports({ action: 'terminate', newestFinished: async () => undefined });
    expect(await beforeStop(none.p)).toBe('go');
  });

  it('the checkpoint a save just wrote counts for the terminate rule', async () => {
    const w = ports({ action: 'terminate', saveConfig: { mode: 'triggerFile', path: 'x' }, lastDownload: { path: 's_1.pt', mtimeMs: 1000 }, answers: [false] });
    expect(await beforeStop(w.p)).toBe('abort');
    expect(w.asked).toEqual([{ kind: 'notDownloaded', why: 'newerThanDownload', newest: ck(9, 9000) }]);
  });

  it('a host that cannot be looked at: terminate asks instead of deciding alone', async () => {
    const w = ports({ action: 'terminate', newestFinished: () => Promise.reject(new RemoteGpuError('unreachable', 'Host unreachable.')), answers: [true] });
    expect(await beforeStop(w.p)).toBe('go');
    expect(w.asked).toEqual([{ kind: 'cannotCheck', message: 'Host unreachable.' }]);
  });
});
