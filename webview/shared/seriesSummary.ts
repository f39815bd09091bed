import type { MetricSeries } from '../../src/shared/telemetryProtocol';

/** Now/min/max of one chart, for its aria-label and text alternative. NaN where the window has no value. */
export interface SeriesSummary {
  now: number;
  min: number;
  max: number;
}

/**
 * One pass over the columns, writing into `out` so a snapshot costs O(points) and no allocation. With 24 h buckets
 * the extremes come from the min/max columns (a 1-minute mean hides a spike); `now` is the newest non-gap value.
 */
export function summarizeSeries(series: MetricSeries, out: SeriesSummary): SeriesSummary {
  const lows = series.min ?? series.value;
  const highs = series.max ?? series.value;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < lows.length; i++) {
    const v = lows[i];
    if (typeof v === 'number' && v < min) min = v;
  }
  for (let i = 0; i < highs.length; i++) {
    const v = highs[i];
    if (typeof v === 'number' && v > max) max = v;
  }
  out.now = Number.NaN;
  for (let i = series.value.length - 1; i >= 0; i--) {
    const v = series.value[i];
    if (typeof v === 'number') {
      out.now = v;
      break;
    }
  }
  out.min = min === Infinity ? Number.NaN : min;
  out.max = max === -Infinity ? Number.NaN : max;
  return out;
}

export function emptySummary(): SeriesSummary {
  return { now: Number.NaN, min: Number.NaN, max: Number.NaN };
}
