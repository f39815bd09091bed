import { describe, expect, it } from 'vitest';
import type { Checkpoint } from './checkpoint';
import { terminateCheck } from './terminateRule';
import { WritingTracker } from './writingTracker';

const ck = (path: string, sizeBytes: number, mtimeMs: number, complete = true): Checkpoint => ({ path, kind: 'file', format: 'pytorch', sizeBytes, mtimeMs, files: [], complete });

describe('WritingTracker', () => {
  it('a checkpoint whose size or mtime changed between two looks is writing, never latest', () => {
    const t = new WritingTracker();
    const first = t.observe([ck('a.pt', 100, 1), ck('b.pt', 10, 2)]);
    expect(first.checkpoints.map((c) => c.state)).toEqual(['new', 'new']);
    expect(first.latest?.path).toBe('b.pt');
    const second = t.observe([ck('a.pt', 100, 1), ck('b.pt', 50, 3)]);
    expect(second.checkpoints.map((c) => c.state)).toEqual(['stable', 'writing']);
    expect(second.latest?.path).toBe('a.pt');
    const third = t.observe([ck('a.pt', 100, 1), ck('b.pt', 50, 3)]);
    expect(third.latest?.path).toBe('b.pt');
    expect(third.checkpoints.map((c) => c.state)).toEqual(['stable', 'stable']);
  });

  it('same size but a new mtime (rewritten in place) is writing; an incomplete shard set is writing', () => {
    const t = new WritingTracker();
    t.observe([ck('a.pt', 100, 1)]);
    expect(t.observe([ck('a.pt', 100, 2)]).checkpoints[0]?.state).toBe('writing');
    expect(t.observe([ck('s-*-of-00004.safetensors', 3, 5, false)]).latest).toBeUndefined();
  });
});

describe('terminateCheck', () => {
  it('refuses while the newest checkpoint is newer than the last download', () => {
    const newest = ck('b.pt', 1, 200);
    expect(terminateCheck(undefined, undefined)).toEqual({ allowed: true });
    expect(terminateCheck(newest, undefined)).toEqual({ allowed: false, why: 'neverDownloaded', newest });
    expect(terminateCheck(newest, { path: 'a.pt', mtimeMs: 100 })).toEqual({ allowed: false, why: 'newerThanDownload', newest });
    expect(terminateCheck(newest, { path: 'b.pt', mtimeMs: 200 })).toEqual({ allowed: true });
  });
});
