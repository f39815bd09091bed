import type { GpuMetrics, HistoryMetricKey, HistoryWindow } from '../../src/shared/gpuMetrics';
import { formatCelsius, formatGiB, formatPercent, formatWatts } from './format';
import type { ChartColor } from './themePalette';

/** What one chart shows: which metric, how its numbers read, its colour and its y range. */
export interface ChartSpec {
  readonly key: HistoryMetricKey;
  readonly title: string;
  /** Lower-case noun for the spoken summary: "GPU 0 utilisation, last 5 minutes: ...". */
  readonly noun: string;
  readonly color: ChartColor;
  readonly format: (v: number) => string;
  readonly axisFormat: (v: number) => string;
  /** A fixed top (100 %, the card's memory, the power limit) keeps charts comparable; null lets the data decide. */
  readonly yMax: (current: GpuMetrics) => number | null;
}

export const UTILISATION: ChartSpec = { key: 'utilizationGpu', title: 'Utilisation', noun: 'utilisation', color: 'blue', format: formatPercent, axisFormat: formatPercent, yMax: () => 100 };
export const MEMORY: ChartSpec = {
  key: 'memoryUsedMiB',
  title: 'Memory',
  noun: 'memory used',
  color: 'purple',
  format: formatGiB,
  axisFormat: (mib) => `${Math.round(mib / 1024)} GiB`,
  yMax: (c) => c.memoryTotalMiB ?? null,
};
export const POWER: ChartSpec = { key: 'powerDrawW', title: 'Power', noun: 'power draw', color: 'orange', format: formatWatts, axisFormat: formatWatts, yMax: (c) => c.powerLimitW ?? null };
export const TEMPERATURE: ChartSpec = { key: 'temperatureGpuC', title: 'Temperature', noun: 'temperature', color: 'red', format: formatCelsius, axisFormat: formatCelsius, yMax: () => null };

export const DASHBOARD_CHARTS: readonly ChartSpec[] = [UTILISATION, MEMORY, POWER, TEMPERATURE];
export const MONITOR_CHARTS: readonly ChartSpec[] = [UTILISATION, MEMORY];

export const WINDOW_MS: Readonly<Record<HistoryWindow, number>> = { '5m': 300_000, '1h': 3_600_000, '24h': 86_400_000 };

export const WINDOW_LABELS: Readonly<Record<HistoryWindow, string>> = { '5m': '5 min', '1h': '1 h', '24h': '24 h' };

const WINDOW_PHRASES: Readonly<Record<HistoryWindow, string>> = { '5m': 'last 5 minutes', '1h': 'last hour', '24h': 'last 24 hours' };

/** The chart's spoken summary, e.g. "GPU 0 utilisation, last 5 minutes: now 98 %, min 2 %, max 100 %". */
export function chartSummary(gpuIndex: number, spec: ChartSpec, window: HistoryWindow, s: { now: number; min: number; max: number }): string {
  const head = `GPU ${gpuIndex} ${spec.noun}, ${WINDOW_PHRASES[window]}`;
  if (Number.isNaN(s.min) && Number.isNaN(s.now)) return `${head}: no data`;
  // The formatters turn NaN (no value in the window) into the dash.
  return `${head}: now ${spec.format(s.now)}, min ${spec.format(s.min)}, max ${spec.format(s.max)}`;
}
