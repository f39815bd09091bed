import { HISTORY_METRIC_KEYS } from '../../shared/gpuMetrics';
import type { GpuMetrics, HistoryMetricKey, HistoryWindow } from '../../shared/gpuMetrics';
import { FullRateRing } from './fullRateRing';
import { MinuteBuckets } from './minuteBuckets';
import type { HostSample } from './sampleGrouper';
import { clampIntervalMs, DEFAULT_INTERVAL_MS } from './streamCommand';

/** Full-rate history covers the last hour; older data lives only in the 24 h of 1-minute buckets. */
export const FULL_RATE_SPAN_MS = 3_600_000;
export const BUCKET_MS = 60_000;
export const BUCKET_COUNT = 1_440;
/** No sample for more than this many intervals is an outage: drawn as a gap, never bridged. */
export const GAP_INTERVALS = 3;

const WINDOW_MS: Readonly<Record<HistoryWindow, number>> = { '5m': 300_000, '1h': FULL_RATE_SPAN_MS, '24h': BUCKET_COUNT * BUCKET_MS };

/** Full-rate slots for an interval: one hour of samples. */
export function fullRateCapacity(intervalMs: number): number {
  return Math.ceil(FULL_RATE_SPAN_MS / clampIntervalMs(intervalMs));
}

/**
 * Bytes of history one GPU holds, all allocated up front. With M metrics and C = 3600 s / interval:
 * full rate C x (8 B time + 4 B x M), buckets 1440 x (8 B start + M x (4 B min + 4 B max + 4 B mean + 2 B count)).
 */
export function historyBytesPerGpu(intervalMs: number, metricCount: number = HISTORY_METRIC_KEYS.length): number {
  const capacity = fullRateCapacity(intervalMs);
  return capacity * (8 + 4 * metricCount) + BUCKET_COUNT * (8 + metricCount * 14);
}

/**
 * History bytes per GPU at the default 1 s interval with the 7 charted metrics: 129,600 (full rate) + 152,640
 * (buckets) = 282,240 bytes, about 276 KiB. 10x the full-rate part at 100 ms (1.44 MB), 1/60 of it at 60 s.
 */
export const HISTORY_BYTES_PER_GPU = historyBytesPerGpu(DEFAULT_INTERVAL_MS);

/** A window of one GPU's history, columnar and ready for a chart. Every column has `t.length` points; NaN = gap. */
export interface HistorySeries {
  readonly window: HistoryWindow;
  readonly t: Float64Array;
  readonly value: Readonly<Record<HistoryMetricKey, Float32Array>>;
  /** Bucket extremes: present for the 24 h window only. */
  readonly min?: Readonly<Record<HistoryMetricKey, Float32Array>>;
  readonly max?: Readonly<Record<HistoryMetricKey, Float32Array>>;
}

/**
 * One GPU's history: a full-rate ring for the last hour and 1-minute buckets for 24 h, both fed by every sample.
 * Memory is fixed at construction (historyBytesPerGpu) and never grows, however long it runs. A sample older than
 * the newest one is dropped (and counted): the ring must stay in time order, and time here is the caller's clock.
 */
export class GpuHistory {
  readonly ring: FullRateRing;
  readonly buckets: MinuteBuckets;
  private readonly intervalMs: number;
  private dropped = 0;

  constructor(intervalMs: number) {
    this.intervalMs = clampIntervalMs(intervalMs);
    this.ring = new FullRateRing(fullRateCapacity(this.intervalMs), HISTORY_METRIC_KEYS);
    this.buckets = new MinuteBuckets(BUCKET_COUNT, BUCKET_MS, HISTORY_METRIC_KEYS);
  }

  get byteLength(): number {
    return this.ring.byteLength + this.buckets.byteLength;
  }

  /** Samples refused because their time went backwards. */
  get droppedOutOfOrder(): number {
    return this.dropped;
  }

  push(t: number, metrics: GpuMetrics): boolean {
    const last = this.ring.lastTime;
    if (!Number.isFinite(t) || (last !== undefined && t < last)) {
      this.dropped++;
      return false;
    }
    this.ring.push(t, metrics);
    this.buckets.push(t, metrics);
    return true;
  }

  query(window: HistoryWindow, now: number): HistorySeries {
    if (window === '24h') {
      const b = this.buckets.query(now);
      return { window, t: b.t, value: byMetric(b.values), min: byMetric(b.min), max: byMetric(b.max) };
    }
    const c = this.ring.query(now - WINDOW_MS[window], now, GAP_INTERVALS * this.intervalMs, this.intervalMs);
    return { window, t: c.t, value: byMetric(c.values) };
  }
}

function byMetric(columns: readonly Float32Array[]): Record<HistoryMetricKey, Float32Array> {
  return Object.fromEntries(HISTORY_METRIC_KEYS.map((k, i) => [k, columns[i] ?? new Float32Array(0)])) as Record<HistoryMetricKey, Float32Array>;
}

/** The most GPUs one host's history keeps; a stream inventing UUIDs cannot grow memory past this. */
export const MAX_GPUS_PER_HOST = 64;

/** History of every GPU of one host, keyed by UUID (indexes can be renumbered across reboots, UUIDs cannot). */
export class HostHistory {
  private readonly gpus = new Map<string, GpuHistory>();

  constructor(private readonly intervalMs: number) {}

  /** Feeds one tick; `t` defaults to the tick's nvidia-smi time, the adapter may pass its local receive time. */
  push(sample: HostSample, t: number = sample.t): void {
    for (const gpu of sample.gpus) {
      let history = this.gpus.get(gpu.uuid);
      if (!history) {
        if (this.gpus.size >= MAX_GPUS_PER_HOST) continue;
        history = new GpuHistory(this.intervalMs);
        this.gpus.set(gpu.uuid, history);
      }
      history.push(t, gpu.metrics);
    }
  }

  gpu(uuid: string): GpuHistory | undefined {
    return this.gpus.get(uuid);
  }

  get byteLength(): number {
    let total = 0;
    for (const h of this.gpus.values()) total += h.byteLength;
    return total;
  }
}
