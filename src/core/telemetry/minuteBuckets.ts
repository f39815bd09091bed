import type { GpuMetrics, HistoryMetricKey } from '../../shared/gpuMetrics';
import type { Columns } from './fullRateRing';

/** min/max/mean columns over the bucket grid; NaN where a bucket saw no value. */
export interface BucketColumns extends Columns {
  readonly min: readonly Float32Array[];
  readonly max: readonly Float32Array[];
}

/** Per-bucket sample counts saturate here (a Uint16); 1-minute buckets at 100 ms hold 600. */
const MAX_COUNT = 0xffff;

/**
 * 24 h of min/max/mean buckets for one GPU, preallocated. A bucket's slot is its number modulo the bucket count, and
 * each slot remembers which bucket it holds, so an old bucket is recognised and reset when its slot comes round
 * again. Time with no sample is therefore simply a bucket that was never filled: a gap, never an interpolation.
 * The mean is kept incrementally (mean += (v - mean) / n), so no running sum in Float32 loses precision.
 */
export class MinuteBuckets {
  readonly starts: Float64Array;
  readonly min: Float32Array;
  readonly max: Float32Array;
  readonly mean: Float32Array;
  readonly count: Uint16Array;

  constructor(
    readonly bucketCount: number,
    readonly bucketMs: number,
    private readonly metrics: readonly HistoryMetricKey[],
  ) {
    const cells = bucketCount * metrics.length;
    this.starts = new Float64Array(bucketCount).fill(Number.NaN);
    this.min = new Float32Array(cells).fill(Number.NaN);
    this.max = new Float32Array(cells).fill(Number.NaN);
    this.mean = new Float32Array(cells).fill(Number.NaN);
    this.count = new Uint16Array(cells);
  }

  get byteLength(): number {
    return this.starts.byteLength + this.min.byteLength + this.max.byteLength + this.mean.byteLength + this.count.byteLength;
  }

  push(t: number, metrics: GpuMetrics): void {
    const start = Math.floor(t / this.bucketMs) * this.bucketMs;
    const slot = this.slotOf(start);
    const held = this.starts[slot] as number;
    if (held > start) return; // older than the 24 h the slot now covers
    if (held !== start) this.resetSlot(slot, start);
    for (let m = 0; m < this.metrics.length; m++) {
      const v = metrics[this.metrics[m] as HistoryMetricKey];
      if (v !== undefined && Number.isFinite(v)) this.add(m * this.bucketCount + slot, v);
    }
  }

  /** The full grid of `bucketCount` buckets ending with the one holding `now`, oldest first. */
  query(now: number): BucketColumns {
    const n = this.bucketCount;
    const lastStart = Math.floor(now / this.bucketMs) * this.bucketMs;
    const t = new Float64Array(n);
    const columns = () => this.metrics.map(() => new Float32Array(n).fill(Number.NaN));
    const values = columns();
    const min = columns();
    const max = columns();
    for (let k = 0; k < n; k++) {
      const start = lastStart - (n - 1 - k) * this.bucketMs;
      t[k] = start;
      const slot = this.slotOf(start);
      if (this.starts[slot] !== start) continue;
      for (let m = 0; m < this.metrics.length; m++) {
        const cell = m * n + slot;
        (values[m] as Float32Array)[k] = this.mean[cell] as number;
        (min[m] as Float32Array)[k] = this.min[cell] as number;
        (max[m] as Float32Array)[k] = this.max[cell] as number;
      }
    }
    return { t, values, min, max };
  }

  private slotOf(start: number): number {
    const index = Math.floor(start / this.bucketMs) % this.bucketCount;
    return index < 0 ? index + this.bucketCount : index;
  }

  private resetSlot(slot: number, start: number): void {
    this.starts[slot] = start;
    for (let m = 0; m < this.metrics.length; m++) {
      const cell = m * this.bucketCount + slot;
      this.min[cell] = Number.NaN;
      this.max[cell] = Number.NaN;
      this.mean[cell] = Number.NaN;
      this.count[cell] = 0;
    }
  }

  private add(cell: number, v: number): void {
    const n = Math.min(MAX_COUNT, (this.count[cell] as number) + 1);
    this.count[cell] = n;
    if (n === 1) {
      this.min[cell] = v;
      this.max[cell] = v;
      this.mean[cell] = v;
      return;
    }
    this.min[cell] = Math.min(this.min[cell] as number, v);
    this.max[cell] = Math.max(this.max[cell] as number, v);
    this.mean[cell] = (this.mean[cell] as number) + (v - (this.mean[cell] as number)) / n;
  }
}
