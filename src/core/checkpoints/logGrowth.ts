import type { ScanEntry } from './checkpoint';

/** One look's evidence that a job is writing: the log written last among those that grew, and by how much. */
export interface LogGrowth {
  /** Relative to the project folder. */
  readonly path: string;
  /** Bytes that file gained since the previous look (its whole size for a new file). */
  readonly grewBytes: number;
  /** Its mtime (the instance's clock). */
  readonly mtimeMs: number;
  /** How many log files grew in all. */
  readonly files: number;
}

interface Seen {
  readonly sizes: ReadonlyMap<string, number>;
  readonly newestMtimeMs: number;
  readonly truncated: boolean;
}

/**
 * "Growing" is judged from two looks, by size only:
 * - a file listed both times that got bigger grew;
 * - a file listed for the first time, with bytes, written after the newest log of the previous look, is new output
 *   (a new TensorBoard events file, a new run's log). Not when either look was truncated: a file cut from the older
 *   listing would look new;
 * - a file that only got a new mtime (touch, a tool that re-saves it unchanged) did not grow: nothing was written,
 *   and counting it would let a heartbeat keep a forgotten machine alive;
 * - a file that shrank was rotated or truncated: not growth and not an error, its new size is the next baseline.
 * The first look only sets the baseline: a log that exists is not yet evidence of anything running.
 */
export class LogGrowthTracker {
  private previous: Seen | undefined;

  observe(logs: readonly ScanEntry[], truncated: boolean): LogGrowth | undefined {
    const before = this.previous;
    this.previous = {
      sizes: new Map(logs.map((l) => [l.path, l.size])),
      newestMtimeMs: logs.reduce((m, l) => Math.max(m, l.mtimeMs), -Infinity),
      truncated,
    };
    if (!before) return undefined;
    const newFilesCount = !truncated && !before.truncated;
    let best: LogGrowth | undefined;
    let files = 0;
    for (const l of logs) {
      const was = before.sizes.get(l.path);
      const grew = was !== undefined ? l.size - was : newFilesCount && l.size > 0 && l.mtimeMs > before.newestMtimeMs ? l.size : 0;
      if (grew <= 0) continue;
      files++;
      if (!best || l.mtimeMs > best.mtimeMs || (l.mtimeMs === best.mtimeMs && grew > best.grewBytes)) best = { path: l.path, grewBytes: grew, mtimeMs: l.mtimeMs, files: 0 };
    }
    return best ? { ...best, files } : undefined;
  }
}

/**
 * The log half of the progress signal as a plain event, like CheckpointProgress: told every look's logs, it tells
 * listeners once per look in which some log grew. A log that stops growing stops being reported, so the idle rule's
 * progress window runs out from its last growth.
 */
export class LogProgress {
  private tracker = new LogGrowthTracker();
  private readonly listeners = new Set<(g: LogGrowth) => void>();

  onLogGrew(listener: (g: LogGrowth) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A look without a log list (the progress globs are off) forgets the baseline. */
  update(logs: readonly ScanEntry[] | undefined, truncated: boolean): LogGrowth | undefined {
    if (!logs) {
      this.reset();
      return undefined;
    }
    const g = this.tracker.observe(logs, truncated);
    if (g) for (const l of [...this.listeners]) l(g);
    return g;
  }

  /** A different project folder: its first look is a baseline, not growth. */
  reset(): void {
    this.tracker = new LogGrowthTracker();
  }
}
