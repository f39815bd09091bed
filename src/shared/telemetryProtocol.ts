import { z } from 'zod';
import { gpuMetricsSchema, HISTORY_METRIC_KEYS, historyWindowSchema } from './gpuMetrics';
import type { HistoryMetricKey } from './gpuMetrics';

/**
 * The data the extension host shows the dashboard. Bump PROTOCOL_VERSION on any change that an older webview bundle
 * could misread; the webview announces its version in `ready` and the host refuses a mismatch instead of guessing.
 */
export const PROTOCOL_VERSION = 1;

/**
 * Bounds on everything a message may carry. A webview is a browser: a huge or hostile payload must be refused at the
 * edge, not rendered. 40,000 points = one hour at the fastest interval (100 ms) plus room for gap markers.
 */
export const PROTOCOL_LIMITS = {
  maxSeriesPoints: 40_000,
  maxGpus: 64,
  maxProcesses: 1_024,
  maxProcessNameLength: 1_024,
  maxLabelLength: 256,
} as const;

/**
 * How the stream to one host is doing. `live`: samples arrive; `stale`: connected but no sample for several
 * intervals; `reconnecting`: a stream that delivered once dropped and is being restarted; `connecting`: no sample
 * yet, including a failed first attempt waiting for its retry (then with `retryInMs` and `error`); `stopped`: nothing
 * needs the stream.
 */
export const connectionStateSchema = z.enum(['connecting', 'live', 'stale', 'reconnecting', 'stopped']);
export type ConnectionState = z.infer<typeof connectionStateSchema>;

const nonNegativeInt = z.number().int().nonnegative();

export const connectionSchema = z
  .object({
    state: connectionStateSchema,
    /** Milliseconds since the newest sample arrived; null before the first one. */
    lastSampleAgeMs: nonNegativeInt.nullable(),
    /** Milliseconds until the next attempt, while a (re)connect waits for its retry. */
    retryInMs: nonNegativeInt.nullable(),
    /** The failure behind `reconnecting` or `stale`, in words safe to show. */
    error: z.object({ reason: z.string().max(40), message: z.string().max(500) }).strict().nullable(),
  })
  .strict();
export type ConnectionView = z.infer<typeof connectionSchema>;

/** A chart column: null is a gap (no value, or no sample), which the chart draws as a break, never as 0. */
const seriesColumn = z.array(z.number().nullable()).max(PROTOCOL_LIMITS.maxSeriesPoints);

/** One metric over the window. `min`/`max` come with the 24 h window, whose points are 1-minute buckets. */
export const metricSeriesSchema = z
  .object({ value: seriesColumn, min: seriesColumn.optional(), max: seriesColumn.optional() })
  .strict();
export type MetricSeries = z.infer<typeof metricSeriesSchema>;

const seriesMetrics = z
  .object(Object.fromEntries(HISTORY_METRIC_KEYS.map((k) => [k, metricSeriesSchema])) as Record<HistoryMetricKey, typeof metricSeriesSchema>)
  .strict();

/** Columnar series for one GPU, ready for a canvas chart: `t` (epoch ms) and one column per metric, same length. */
export const gpuSeriesSchema = z
  .object({ window: historyWindowSchema, t: z.array(z.number()).max(PROTOCOL_LIMITS.maxSeriesPoints), metrics: seriesMetrics })
  .strict()
  .superRefine((series, ctx) => {
    for (const key of HISTORY_METRIC_KEYS) {
      const m = series.metrics[key];
      for (const column of [m.value, m.min, m.max]) {
        if (column !== undefined && column.length !== series.t.length) {
          ctx.addIssue({ code: 'custom', path: ['metrics', key], message: `column length ${column.length} != t length ${series.t.length}` });
        }
      }
    }
  });
export type GpuSeries = z.infer<typeof gpuSeriesSchema>;

/** One GPU in a snapshot. Strings here come from the remote host: the webview renders them as text only. */
export const gpuSnapshotSchema = z
  .object({
    index: z.number().int().min(0).max(1_023),
    uuid: z.string().max(PROTOCOL_LIMITS.maxLabelLength),
    name: z.string().max(PROTOCOL_LIMITS.maxLabelLength),
    pstate: z.string().max(16).nullable(),
    current: gpuMetricsSchema,
    series: gpuSeriesSchema,
  })
  .strict();
export type GpuSnapshot = z.infer<typeof gpuSnapshotSchema>;

export const processRowSchema = z
  .object({
    pid: z.number().int().positive(),
    /** Untrusted: whatever the process called itself. Text only. */
    name: z.string().max(PROTOCOL_LIMITS.maxProcessNameLength),
    gpuUuid: z.string().max(PROTOCOL_LIMITS.maxLabelLength),
    gpuIndex: z.number().int().nonnegative().nullable(),
    usedMemoryMiB: z.number().nonnegative().nullable(),
  })
  .strict();
export type ProcessRow = z.infer<typeof processRowSchema>;

/**
 * What the processes table shows. `hiddenByContainer`: the driver reports PIDs from another PID namespace (a rented
 * container), so we cannot tell which of ours they are; `notReported`: GPU memory is in use but the driver lists no
 * process; `unavailable`: the process stream is not running. The UI says these in words instead of an empty table.
 */
export const processesSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('list'), items: z.array(processRowSchema).max(PROTOCOL_LIMITS.maxProcesses) }).strict(),
  z.object({ kind: z.literal('hiddenByContainer'), count: nonNegativeInt, usedMemoryMiB: z.number().nonnegative().nullable() }).strict(),
  z.object({ kind: z.literal('notReported') }).strict(),
  z.object({ kind: z.literal('unavailable') }).strict(),
]);
export type ProcessesView = z.infer<typeof processesSchema>;
