import { z } from 'zod';

/**
 * The numeric readings of one GPU, by stable camelCase key. The keys are shared by the parser (core), the wire
 * protocol and the webview's charts, so renaming one is a protocol change. Units are part of the key where a reader
 * could guess wrong (MiB, W, MHz, C).
 */
export const GPU_METRIC_KEYS = [
  'utilizationGpu',
  'utilizationMemory',
  'memoryUsedMiB',
  'memoryTotalMiB',
  'temperatureGpuC',
  'temperatureMemoryC',
  'powerDrawW',
  'powerLimitW',
  'clockSmMHz',
  'clockMemMHz',
  'fanSpeedPercent',
  'eccUncorrectedVolatile',
  'clockEventReasons',
] as const;

export type GpuMetricKey = (typeof GPU_METRIC_KEYS)[number];

/** Current readings. A missing key means "no value" ([N/A], not supported, dropped by the driver): never 0. */
export type GpuMetrics = { readonly [K in GpuMetricKey]?: number };

/**
 * The metrics kept in history and charted. Limits, totals, ECC counts and bitmasks are not: they barely change and
 * the current value says all. Each key here costs memory per GPU (see HISTORY_BYTES_PER_GPU in core/telemetry/history).
 */
export const HISTORY_METRIC_KEYS = [
  'utilizationGpu',
  'utilizationMemory',
  'memoryUsedMiB',
  'temperatureGpuC',
  'temperatureMemoryC',
  'powerDrawW',
  'clockSmMHz',
] as const satisfies readonly GpuMetricKey[];

export type HistoryMetricKey = (typeof HISTORY_METRIC_KEYS)[number];

/** The chart windows the dashboard offers: the first two at full rate, the last as 1-minute min/max/mean buckets. */
export const HISTORY_WINDOWS = ['5m', '1h', '24h'] as const;

export type HistoryWindow = (typeof HISTORY_WINDOWS)[number];

export const historyWindowSchema = z.enum(HISTORY_WINDOWS);

/** zod 4 numbers refuse NaN and Infinity: they do not survive JSON and would mean a parser bug upstream. */
const metricValue = z.number();

export const gpuMetricsSchema = z
  .object(Object.fromEntries(GPU_METRIC_KEYS.map((k) => [k, metricValue.optional()])) as Record<GpuMetricKey, z.ZodOptional<z.ZodNumber>>)
  .strict();
