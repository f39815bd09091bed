import { HISTORY_METRIC_KEYS } from '../../shared/gpuMetrics';
import type { HistoryMetricKey } from '../../shared/gpuMetrics';
import type { GpuSeries, MetricSeries } from '../../shared/telemetryProtocol';
import type { HistorySeries } from './history';

/**
 * Typed-array history → the protocol's JSON-safe series: NaN becomes null (JSON has no NaN, and uPlot draws null as
 * a gap), and Float32 noise is rounded to 2 decimals (69.92 W, not 69.91999816894531).
 */
export function toWireSeries(series: HistorySeries): GpuSeries {
  const metrics = Object.fromEntries(
    HISTORY_METRIC_KEYS.map((key) => {
      const m: MetricSeries = { value: column(series.value[key]) };
      const min = series.min?.[key];
      const max = series.max?.[key];
      return [key, min && max ? { ...m, min: column(min), max: column(max) } : m];
    }),
  ) as Record<HistoryMetricKey, MetricSeries>;
  return { window: series.window, t: Array.from(series.t), metrics };
}

function column(values: Float32Array): (number | null)[] {
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    out[i] = Number.isFinite(v) ? Math.round(v * 100) / 100 : null;
  }
  return out;
}
