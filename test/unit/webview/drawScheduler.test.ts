import { describe, expect, it } from 'vitest';
import { DrawScheduler } from '../../../webview/shared/drawScheduler';
import type { Drawable, FrameStats } from '../../../webview/shared/drawScheduler';

/** A virtual clock and frame queue: each fake chart "takes" `cost` ms to draw. */
function rig(budgetMs = 5) {
  let now = 0;
  const frames: (() => void)[] = [];
  const stats: FrameStats[] = [];
  const scheduler = new DrawScheduler({ schedule: (cb) => frames.push(cb), now: () => now, budgetMs, onFrame: (s) => stats.push(s) });
  const drawn: string[] = [];
  const chart = (name: string, cost: number, visible = true): Drawable & { visible: boolean } => ({
    visible,
    draw: () => {
      now += cost;
      drawn.push(name);
    },
  });
  const runFrame = (): void => frames.shift()?.();
  return { scheduler, frames, stats, drawn, chart, runFrame };
}

describe('draw scheduler', () => {
  it('draws within the frame budget and carries the rest to the next frame', () => {
    const r = rig(5);
    const charts = Array.from({ length: 8 }, (_, i) => r.chart(`c${i}`, 2));
    for (const c of charts) r.scheduler.request(c);
    expect(r.frames).toHaveLength(1);
    r.runFrame();
    expect(r.drawn).toEqual(['c0', 'c1', 'c2']);
    r.runFrame();
    r.runFrame();
    expect(r.drawn).toHaveLength(8);
    expect(r.frames).toHaveLength(0);
    expect(r.stats.map((s) => s.drawn)).toEqual([3, 3, 2]);
  });

  it('draws a chart once however often it was asked before its frame, and always at least one per frame', () => {
    const r = rig(1);
    const slow = r.chart('slow', 10);
    r.scheduler.request(slow);
    r.scheduler.request(slow);
    r.runFrame();
    expect(r.drawn).toEqual(['slow']);
    expect(r.scheduler.pending).toBe(0);
  });

  it('leaves offscreen charts waiting without spinning frames, and draws them once visible', () => {
    const r = rig();
    const hidden = r.chart('hidden', 1, false);
    r.scheduler.request(hidden);
    expect(r.frames).toHaveLength(0);
    hidden.visible = true;
    r.scheduler.request(hidden);
    r.runFrame();
    expect(r.drawn).toEqual(['hidden']);
  });

  it('forgets a destroyed chart', () => {
    const r = rig();
    const gone = r.chart('gone', 1);
    r.scheduler.request(gone);
    r.scheduler.cancel(gone);
    r.runFrame();
    expect(r.drawn).toEqual([]);
  });
});
