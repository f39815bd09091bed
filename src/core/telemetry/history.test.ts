import { describe, expect, it } from 'vitest';
import { HISTORY_METRIC_KEYS } from '../../shared/gpuMetrics';
import type { GpuMetrics } from '../../shared/gpuMetrics';
import { gpuSeriesSchema } from '../../shared/telemetryProtocol';
import { GpuHistory, HISTORY_BYTES_PER_GPU, historyBytesPerGpu, HostHistory, MAX_GPUS_PER_HOST } from './history';
import { toWireSeries } from './historyWire';
import type { GpuSample } from './sampleParser';

const T0 = Date.UTC(2026, 10, 22, 0, 0, 0);
const S = 1000;
const metricsAt = (i: number): GpuMetrics => ({ utilizationGpu: i % 60, memoryUsedMiB: 3737, powerDrawW: 69.92, temperatureGpuC: 40 });

describe('history memory', () => {
  it('states 282,240 bytes per GPU at 1 s, and that is what one GPU allocates', () => {
    expect(HISTORY_BYTES_PER_GPU).toBe(282_240);
    expect(new GpuHistory(1000).byteLength).toBe(HISTORY_BYTES_PER_GPU);
    expect(new GpuHistory(100).byteLength).toBe(historyBytesPerGpu(100));
    expect(historyBytesPerGpu(100)).toBe(36_000 * 36 + 152_640);
    expect(historyBytesPerGpu(60_000)).toBe(60 * 36 + 152_640);
  });

  it('stays flat over a simulated 24 h (and 3 days): same arrays, same bytes, windows of fixed size', () => {
    const h = new GpuHistory(1000);
    const arraysOf = (x: GpuHistory) => [x.ring.times, x.ring.values, x.buckets.starts, x.buckets.min, x.buckets.max, x.buckets.mean, x.buckets.count];
    const arrays = arraysOf(h);
    const bytes = h.byteLength;
    let i = 0;
    for (; i < 3 * 86_400; i++) h.push(T0 + i * S, metricsAt(i));
    const now = T0 + (i - 1) * S;
    // The very same typed arrays (no reallocation) with the very same sizes.
    arraysOf(h).forEach((a, k) => {
      expect(a).toBe(arrays[k]);
      expect(a.byteLength).toBe(arrays[k]?.byteLength);
    });
    expect(h.byteLength).toBe(bytes);
    expect(h.ring.length).toBe(3600);
    expect(h.query('1h', now).t.length).toBe(3600);
    expect(h.query('24h', now).t.length).toBe(1440);
  });
});

describe('full-rate ring', () => {
  it('wraps around and keeps exactly the last hour, in order', () => {
    const h = new GpuHistory(1000);
    for (let i = 0; i < 5000; i++) h.push(T0 + i * S, metricsAt(i));
    const now = T0 + 4999 * S;
    const hour = h.query('1h', now);
    expect(hour.t.length).toBe(3600);
    expect(hour.t[0]).toBe(T0 + 1400 * S);
    expect(hour.t[3599]).toBe(now);
    expect(hour.value.utilizationGpu[0]).toBe(1400 % 60);
    expect(hour.value.utilizationGpu[3599]).toBe(4999 % 60);
    const five = h.query('5m', now);
    expect(five.t.length).toBe(300);
    expect(five.t[0]).toBe(now - 299 * S);
    expect(five.min).toBeUndefined();
  });

  it('stores [N/A] as NaN (never 0), and the wire carries null', () => {
    const h = new GpuHistory(1000);
    h.push(T0, { memoryUsedMiB: 10 });
    h.push(T0 + S, { utilizationGpu: 0, memoryUsedMiB: 10 });
    const q = h.query('5m', T0 + S);
    expect(Array.from(q.value.utilizationGpu)).toEqual([Number.NaN, 0]);
    const wire = toWireSeries(q);
    expect(wire.metrics.utilizationGpu.value).toEqual([null, 0]);
    expect(wire.metrics.temperatureGpuC.value).toEqual([null, null]);
  });

  it('leaves a gap of more than 3 intervals as a gap: one NaN marker, nothing interpolated', () => {
    const h = new GpuHistory(1000);
    for (let i = 0; i < 100; i++) h.push(T0 + i * S, metricsAt(i));
    for (let i = 200; i < 300; i++) h.push(T0 + i * S, metricsAt(i));
    h.push(T0 + 302 * S, metricsAt(302)); // exactly 3 intervals late: still no gap
    const q = h.query('1h', T0 + 302 * S);
    expect(q.t.length).toBe(202);
    expect(q.t[100]).toBe(T0 + 100 * S);
    expect(q.value.utilizationGpu[100]).toBeNaN();
    expect(q.value.powerDrawW[100]).toBeNaN();
    expect(q.t[101]).toBe(T0 + 200 * S);
    expect(Array.from(q.value.utilizationGpu).filter(Number.isNaN)).toHaveLength(1);
    expect(toWireSeries(q).metrics.utilizationGpu.value[100]).toBeNull();
  });

  it('drops samples whose time goes backwards', () => {
    const h = new GpuHistory(1000);
    expect(h.push(T0 + 10 * S, metricsAt(10))).toBe(true);
    expect(h.push(T0 + 5 * S, metricsAt(5))).toBe(false);
    expect(h.push(Number.NaN, metricsAt(5))).toBe(false);
    expect(h.droppedOutOfOrder).toBe(2);
    expect(h.query('5m', T0 + 10 * S).t.length).toBe(1);
  });
});

describe('24 h buckets', () => {
  it('keep min/max/mean per minute, and an outage stays empty buckets', () => {
    const h = new GpuHistory(1000);
    const outage = (i: number) => i >= 3600 && i < 4200; // minutes 60..69 silent
    for (let i = 0; i < 86_400; i++) if (!outage(i)) h.push(T0 + i * S, metricsAt(i));
    const now = T0 + 86_399 * S;
    const day = h.query('24h', now);
    expect(day.t.length).toBe(1440);
    expect(day.t[0]).toBe(T0);
    expect(day.t[1439]).toBe(T0 + 1439 * 60 * S);
    expect(day.value.utilizationGpu[0]).toBeCloseTo(29.5, 4);
    expect(day.min?.utilizationGpu[0]).toBe(0);
    expect(day.max?.utilizationGpu[0]).toBe(59);
    expect(day.value.powerDrawW[0]).toBeCloseTo(69.92, 3);
    for (let m = 60; m < 70; m++) expect(day.value.utilizationGpu[m]).toBeNaN();
    expect(day.value.utilizationGpu[70]).toBeCloseTo(29.5, 4);
    expect(day.value.utilizationMemory[0]).toBeNaN();
    const wire = toWireSeries(day);
    expect(gpuSeriesSchema.safeParse(wire).success).toBe(true);
    expect(wire.metrics.utilizationGpu.min?.[65]).toBeNull();
  });

  it('forget a bucket once its slot comes round a day later', () => {
    const h = new GpuHistory(1000);
    h.push(T0, { utilizationGpu: 90 });
    h.push(T0 + 86_400 * S, { utilizationGpu: 10 });
    const day = h.query('24h', T0 + 86_400 * S);
    expect(day.value.utilizationGpu[1439]).toBe(10);
    expect(Array.from(day.value.utilizationGpu).filter((v) => !Number.isNaN(v))).toEqual([10]);
  });
});

describe('host history', () => {
  const gpu = (uuid: string, index: number): GpuSample => ({ t: T0, index, uuid, name: 'H100', pstate: 'P0', metrics: { utilizationGpu: 50 } });

  it('keeps one history per GPU UUID, capped, and uses the local time when given', () => {
    const host = new HostHistory(1000);
    host.push({ t: T0, gpus: [gpu('a', 0), gpu('b', 1)], partial: false }, T0 + 42);
    expect(host.gpu('a')?.query('5m', T0 + 42).t[0]).toBe(T0 + 42);
    expect(host.byteLength).toBe(2 * HISTORY_BYTES_PER_GPU);
    const many = Array.from({ length: 100 }, (_, i) => gpu(`u${i}`, i));
    host.push({ t: T0 + S, gpus: many, partial: false });
    expect(host.byteLength).toBe(MAX_GPUS_PER_HOST * HISTORY_BYTES_PER_GPU);
  });

  it('covers the charted metric set', () => {
    expect(HISTORY_METRIC_KEYS).toHaveLength(7);
  });
});
