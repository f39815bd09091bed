import type { GpuMetrics, HistoryMetricKey, HistoryWindow } from '../../src/shared/gpuMetrics';
import { formatCelsius, formatGiB, formatPercent, formatWatts } from './format';
import { formatDecimal } from '../../src/shared/localeFormat';
import type { ChartColor } from './themePalette';
import { t } from '../../src/shared/l10n';

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

export const UTILISATION: ChartSpec = { key: 'utilizationGpu', title: t('Utilisation'), noun: t('utilisation'), color: 'blue', format: formatPercent, axisFormat: formatPercent, yMax: () => 100 };
export const MEMORY: ChartSpec = {
  key: 'memoryUsedMiB',
  title: t('Memory'),
  noun: t('memory used'),
  color: 'purple',
  format: formatGiB,
  axisFormat: (mib) => `${formatDecimal(Math.round(mib / 1024), 0)} GiB`,
  yMax: (c) => c.memoryTotalMiB ?? null,
};
export const POWER: ChartSpec = { key: 'powerDrawW', title: t('Power'), noun: t('power draw'), color: 'orange', format: formatWatts, axisFormat: formatWatts, yMax: (c) => c.powerLimitW ?? null };
export const TEMPERATURE: ChartSpec = { key: 'temperatureGpuC', title: t('Temperature'), noun: t('temperature'), color: 'red', format: formatCelsius, axisFormat: formatCelsius, yMax: () => null };

export const DASHBOARD_CHARTS: readonly ChartSpec[] = [UTILISATION, MEMORY, POWER, TEMPERATURE];
export const MONITOR_CHARTS: readonly ChartSpec[] = [UTILISATION, MEMORY];

export const WINDOW_MS: Readonly<Record<HistoryWindow, number>> = { '5m': 300_000, '1h': 3_600_000, '24h': 86_400_000 };

export const WINDOW_LABELS: Readonly<Record<HistoryWindow, string>> = { '5m': t('{0} min', 5), '1h': t('{0} h', 1), '24h': t('{0} h', 24) };

const WINDOW_PHRASES: Readonly<Record<HistoryWindow, string>> = { '5m': t('last 5 minutes'), '1h': t('last hour'), '24h': t('last 24 hours') };

/** The chart's spoken summary, e.g. "GPU 0 utilisation, last 5 minutes: now 98 %, min 2 %, max 100 %". */
export function chartSummary(gpuIndex: number, spec: ChartSpec, window: HistoryWindow, s: { now: number; min: number; max: number }): string {
  const head = t('GPU {0} {1}, {2}', gpuIndex, spec.noun, WINDOW_PHRASES[window]);
  if (Number.isNaN(s.min) && Number.isNaN(s.now)) return t('{0}: no data', head);
  // The formatters turn NaN (no value in the window) into the dash.
  return t('{0}: now {1}, min {2}, max {3}', head, spec.format(s.now), spec.format(s.min), spec.format(s.max));
}
