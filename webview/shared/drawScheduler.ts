/** Something the scheduler can draw: a chart with new data, or one that must repaint in a new theme. */
export interface Drawable {
  /** Offscreen charts wait (they ask again when scrolled into view): drawing what nobody sees only costs frames. */
  readonly visible: boolean;
  draw(): void;
}

/** One frame's drawing, for the benchmark: how long it took, how many charts it drew, how many wait. */
export interface FrameStats {
  readonly ms: number;
  readonly drawn: number;
  readonly left: number;
}

export interface DrawSchedulerOptions {
  readonly schedule: (callback: () => void) => void;
  readonly now: () => number;
  /** Drawing stops for this frame once this much time is spent; one chart is always drawn, so work progresses. */
  readonly budgetMs?: number;
  readonly onFrame?: (stats: FrameStats) => void;
}

/** Leaves room in an 8 ms frame for the one chart that starts just under the budget (~0.5–1.5 ms each). */
const DEFAULT_BUDGET_MS = 4;

/**
 * Spreads chart draws over animation frames within a time budget. A snapshot updates up to 32 canvases (8 GPUs × 4
 * charts); drawn at once they can take longer than a frame on a slow canvas, while a second's snapshot has 60 frames
 * to land in. Each chart keeps only its newest data, so a chart still waiting when the next snapshot comes is drawn
 * once, with the newest.
 */
export class DrawScheduler {
  private readonly queue = new Set<Drawable>();
  private scheduled = false;
  private readonly budgetMs: number;

  constructor(private readonly options: DrawSchedulerOptions) {
    this.budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  }

  get pending(): number {
    return this.queue.size;
  }

  request(d: Drawable): void {
    this.queue.add(d);
    if (d.visible) this.kick();
  }

  cancel(d: Drawable): void {
    this.queue.delete(d);
  }

  private kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.options.schedule(() => this.frame());
  }

  private frame(): void {
    this.scheduled = false;
    const start = this.options.now();
    let drawn = 0;
    let visibleLeft = false;
    for (const d of this.queue) {
      if (!d.visible) continue;
      if (drawn > 0 && this.options.now() - start >= this.budgetMs) {
        visibleLeft = true;
        break;
      }
      this.queue.delete(d);
      d.draw();
      drawn++;
    }
    this.options.onFrame?.({ ms: this.options.now() - start, drawn, left: this.queue.size });
    if (visibleLeft) this.kick();
  }
}
