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
  let min = Infinity;
  let max = -Infinity;
  if (series.min === undefined || series.max === undefined) {
    // Full-rate windows: one pass over the value column gives both extremes.
    const values = series.value;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  } else {
    min = extreme(series.min, Infinity, Math.min);
    max = extreme(series.max, -Infinity, Math.max);
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

function extreme(column: readonly (number | null)[], start: number, pick: (a: number, b: number) => number): number {
  let acc = start;
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (v !== null && v !== undefined) acc = pick(acc, v);
  }
  return acc;
}

export function emptySummary(): SeriesSummary {
  return { now: Number.NaN, min: Number.NaN, max: Number.NaN };
}
