import type { GpuMetrics, HistoryMetricKey } from '../../shared/gpuMetrics';

/** Columnar points for a chart: `t` in epoch ms and one Float32Array per metric, all the same length; NaN = gap. */
export interface Columns {
  readonly t: Float64Array;
  readonly values: readonly Float32Array[];
}

/**
 * Fixed-capacity ring of full-rate samples for one GPU: one time column (Float64, epoch ms needs more than 24 bits)
 * and one Float32 column per metric in a single metric-major array. Allocated once; pushing overwrites the oldest.
 * A missing value is stored as NaN. Times must not go backwards (the caller drops such samples) so that a window can
 * be found by binary search.
 */
export class FullRateRing {
  readonly times: Float64Array;
  readonly values: Float32Array;
  private head = 0;
  private size = 0;

  constructor(
    readonly capacity: number,
    private readonly metrics: readonly HistoryMetricKey[],
  ) {
    this.times = new Float64Array(capacity);
    this.values = new Float32Array(capacity * metrics.length).fill(Number.NaN);
  }

  get length(): number {
    return this.size;
  }

  get byteLength(): number {
    return this.times.byteLength + this.values.byteLength;
  }

  /** Time of the newest sample, or undefined when empty. */
  get lastTime(): number | undefined {
    return this.size === 0 ? undefined : this.times[(this.head - 1 + this.capacity) % this.capacity];
  }

  push(t: number, metrics: GpuMetrics): void {
    const slot = this.head;
    this.times[slot] = t;
    for (let m = 0; m < this.metrics.length; m++) {
      const v = metrics[this.metrics[m] as HistoryMetricKey];
      this.values[m * this.capacity + slot] = v ?? Number.NaN;
    }
    this.head = (slot + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /**
   * Samples with from < t <= to. Where two neighbours lie more than `gapMs` apart, a NaN point is inserted one
   * `stepMs` after the earlier one, so a chart draws a break instead of a line across the outage.
   */
  query(from: number, to: number, gapMs: number, stepMs: number): Columns {
    const first = this.firstAfter(from);
    let last = first;
    while (last < this.size && this.timeAt(last) <= to) last++;
    let gaps = 0;
    for (let i = first + 1; i < last; i++) if (this.timeAt(i) - this.timeAt(i - 1) > gapMs) gaps++;
    const n = last - first + gaps;
    const t = new Float64Array(n);
    const values = this.metrics.map(() => new Float32Array(n));
    let out = 0;
    for (let i = first; i < last; i++) {
      if (i > first && this.timeAt(i) - this.timeAt(i - 1) > gapMs) {
        t[out] = this.timeAt(i - 1) + stepMs;
        for (const column of values) column[out] = Number.NaN;
        out++;
      }
      const slot = this.slotOf(i);
      t[out] = this.times[slot] as number;
      for (let m = 0; m < values.length; m++) (values[m] as Float32Array)[out] = this.values[m * this.capacity + slot] as number;
      out++;
    }
    return { t, values };
  }

  /** Logical position (0 = oldest) of the first sample newer than `from`. */
  private firstAfter(from: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timeAt(mid) <= from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private slotOf(logical: number): number {
    return (this.head - this.size + logical + this.capacity) % this.capacity;
  }

  private timeAt(logical: number): number {
    return this.times[this.slotOf(logical)] as number;
  }
}
