import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from './checkpoint';
import { CheckpointProgress, cadenceMs, newCheckpointSince, overdueStatus } from './cadence';
import { parseFindTsv } from './checkpointTrees.testkit';
import { recognise } from './recognise';

const realRun = recognise(parseFindTsv(readFileSync(new URL('../../../test/fixtures/checkpoints/ckpt-find.tsv', import.meta.url), 'utf8')), { disabled: [], extraPatterns: [] });
const at = (mtimeMs: number): Checkpoint => ({ path: `c${mtimeMs}.pt`, kind: 'file', format: 'pytorch', sizeBytes: 1, mtimeMs, files: [], complete: true });
const base = { factor: 3, withoutAnyMs: 60 * 60_000 };

describe('cadence and overdue (virtual clock)', () => {
  it('the real run saved about every 8.5 s', () => {
    expect(cadenceMs(realRun)).toBe(8_508);
  });

  it('median, so one slow save does not stretch the cadence', () => {
    expect(cadenceMs([at(0), at(10), at(20), at(300), at(310)])).toBe(10);
    expect(cadenceMs([at(0), at(10), at(30)])).toBe(15);
    expect(cadenceMs([at(5)])).toBeUndefined();
  });

  it('overdue after k x cadence while busy, not before, and never while idle', () => {
    const newest = Math.max(...realRun.map((c) => c.mtimeMs));
    const due = newest + 3 * 8_508;
    expect(overdueStatus({ ...base, checkpoints: realRun, nowMs: due, gpusBusy: true })).toEqual({ overdue: false, cadenceMs: 8_508, dueAtMs: due });
    expect(overdueStatus({ ...base, checkpoints: realRun, nowMs: due + 1, gpusBusy: true })).toEqual({ overdue: true, why: 'pastCadence', cadenceMs: 8_508, dueAtMs: due });
    expect(overdueStatus({ ...base, checkpoints: realRun, nowMs: due + 3_600_000, gpusBusy: false }).overdue).toBe(false);
    expect(overdueStatus({ ...base, factor: 5, checkpoints: realRun, nowMs: due + 1, gpusBusy: true }).overdue).toBe(false);
  });

  it('no checkpoint in a busy run older than the setting is overdue; with none and no run start, nothing to say', () => {
    const start = 1_000_000;
    expect(overdueStatus({ ...base, checkpoints: [], runStartedMs: start, nowMs: start + 60 * 60_000, gpusBusy: true }).overdue).toBe(false);
    expect(overdueStatus({ ...base, checkpoints: [], runStartedMs: start, nowMs: start + 60 * 60_000 + 1, gpusBusy: true })).toMatchObject({ overdue: true, why: 'noneYet' });
    expect(overdueStatus({ ...base, checkpoints: [], nowMs: 9e12, gpusBusy: true })).toEqual({ overdue: false });
    // one checkpoint: no cadence yet, the same bound runs from it
    expect(overdueStatus({ ...base, checkpoints: [at(start)], nowMs: start + 60 * 60_000 + 1, gpusBusy: true })).toMatchObject({ overdue: true, why: 'pastCadence' });
  });

  it('progress signal: newest checkpoint after T, and an event once per newer checkpoint after the baseline', () => {
    expect(newCheckpointSince([at(1), at(5), at(3)], 2)?.mtimeMs).toBe(5);
    expect(newCheckpointSince([at(1)], 1)).toBeUndefined();
    const p = new CheckpointProgress();
    const seen: number[] = [];
    const off = p.onNewCheckpoint((c) => seen.push(c.mtimeMs));
    p.update(at(10)); // baseline: an old file is not progress
    p.update(at(10));
    p.update(undefined);
    p.update(at(20));
    p.update(at(15));
    off();
    p.update(at(30));
    expect(seen).toEqual([20]);
  });
});
