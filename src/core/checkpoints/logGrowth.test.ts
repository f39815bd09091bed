import { describe, expect, it } from 'vitest';
import type { ScanEntry } from './checkpoint';
import { LogGrowthTracker, LogProgress } from './logGrowth';

const log = (path: string, size: number, mtimeS: number): ScanEntry => ({ path, size, mtimeMs: mtimeS * 1000 });

describe('log growth', () => {
  it('the first look is a baseline; a file that got bigger grew, by the difference', () => {
    const t = new LogGrowthTracker();
    expect(t.observe([log('train.log', 1000, 10), log('old.log', 50, 1)], false)).toBeUndefined();
    expect(t.observe([log('train.log', 13_288, 70), log('old.log', 50, 1)], false)).toEqual({ path: 'train.log', grewBytes: 12_288, mtimeMs: 70_000, files: 1 });
  });

  it('a file that stops growing stops counting', () => {
    const t = new LogGrowthTracker();
    t.observe([log('train.log', 1, 1)], false);
    expect(t.observe([log('train.log', 2, 2)], false)).toBeDefined();
    expect(t.observe([log('train.log', 2, 2)], false)).toBeUndefined();
    expect(t.observe([log('train.log', 2, 2)], false)).toBeUndefined();
  });

  it('touch (new mtime, same size) is not growth: nothing was written', () => {
    const t = new LogGrowthTracker();
    t.observe([log('heartbeat.log', 10, 1)], false);
    expect(t.observe([log('heartbeat.log', 10, 99)], false)).toBeUndefined();
  });

  it('rotation (smaller) is not growth and not an error; growth after it counts from the new size', () => {
    const t = new LogGrowthTracker();
    t.observe([log('train.log', 5000, 1)], false);
    expect(t.observe([log('train.log', 0, 2)], false)).toBeUndefined();
    expect(t.observe([log('train.log', 300, 3)], false)).toMatchObject({ grewBytes: 300 });
  });

  it('a new file with bytes, written after the newest log seen, is growth; an old or empty one is not', () => {
    const t = new LogGrowthTracker();
    t.observe([log('a.log', 10, 100)], false);
    expect(t.observe([log('a.log', 10, 100), log('copied-old.log', 500, 50), log('empty.log', 0, 200)], false)).toBeUndefined();
    expect(t.observe([log('a.log', 10, 100), log('copied-old.log', 500, 50), log('empty.log', 0, 200), log('events.out.tfevents.2', 80, 300)], false)).toMatchObject({
      path: 'events.out.tfevents.2',
      grewBytes: 80,
    });
  });

  it('new files do not count when either listing was truncated (they may have been cut before); grown known ones do', () => {
    const t = new LogGrowthTracker();
    t.observe([log('a.log', 10, 1)], true);
    expect(t.observe([log('a.log', 10, 1), log('b.log', 10, 5)], false)).toBeUndefined();
    expect(t.observe([log('a.log', 10, 1), log('b.log', 10, 5), log('c.log', 10, 9)], true)).toBeUndefined();
    expect(t.observe([log('a.log', 20, 10), log('b.log', 10, 5)], true)).toMatchObject({ path: 'a.log', grewBytes: 10 });
  });

  it('names the log written last among several that grew, and counts them', () => {
    const t = new LogGrowthTracker();
    t.observe([log('a.log', 10, 1), log('b.log', 10, 1), log('c.log', 10, 1)], false);
    expect(t.observe([log('a.log', 5000, 20), log('b.log', 11, 30), log('c.log', 10, 1)], false)).toEqual({ path: 'b.log', grewBytes: 1, mtimeMs: 30_000, files: 2 });
  });

  it('LogProgress tells listeners once per look with growth; reset and an absent list start a new baseline', () => {
    const p = new LogProgress();
    const seen: string[] = [];
    const off = p.onLogGrew((g) => seen.push(`${g.path}+${g.grewBytes}`));
    p.update([log('train.log', 1, 1)], false);
    p.update([log('train.log', 4, 2)], false);
    p.update([log('train.log', 4, 2)], false);
    p.reset();
    p.update([log('train.log', 9, 3)], false);
    p.update(undefined, false);
    p.update([log('train.log', 12, 4)], false);
    expect(seen).toEqual(['train.log+3']);
    off();
    p.update([log('train.log', 20, 5)], false);
    expect(seen).toEqual(['train.log+3']);
  });
});
