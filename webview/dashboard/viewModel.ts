import type { SnapshotMessage } from '../../src/shared/dashboardMessages';
import type { HistoryWindow } from '../../src/shared/gpuMetrics';
import type { GpuSnapshot } from '../../src/shared/telemetryProtocol';
import { connectionText } from '../shared/connectionText';
import type { ConnectionText } from '../shared/connectionText';
import { formatCelsius, formatMemory, formatMHz, formatPercent, formatPower, NO_VALUE } from '../shared/format';
import { processesDisplay } from '../shared/processesText';
import type { ProcessesDisplay } from '../shared/processesText';
import { t } from '../../src/shared/l10n';

/** One labelled number on a GPU card. */
export interface StatText {
  readonly label: string;
  readonly value: string;
}

/** A GPU card's text. `name` is the GPU's reported name: untrusted, rendered as text. */
export interface GpuCardText {
  readonly title: string;
  readonly name: string;
  readonly stats: readonly StatText[];
}

/** Everything the dashboard shows that is not a chart, as plain strings. */
export interface DashboardText {
  readonly hostLabel: string;
  readonly connection: ConnectionText;
  readonly window: HistoryWindow;
  /** A sentence instead of the card grid when there are no GPUs to show. */
  readonly emptyText: string | null;
  readonly processes: ProcessesDisplay;
}

/** The labels in card order; the card builds one row per label once and then only updates values. */
export const STAT_LABELS = [t('Utilisation'), t('Memory'), t('Temperature'), t('Power'), t('SM clock'), t('P-state')] as const;

export function gpuCardText(gpu: GpuSnapshot): GpuCardText {
  const c = gpu.current;
  const values = [
    formatPercent(c.utilizationGpu),
    formatMemory(c.memoryUsedMiB, c.memoryTotalMiB),
    formatCelsius(c.temperatureGpuC),
    formatPower(c.powerDrawW, c.powerLimitW),
    formatMHz(c.clockSmMHz),
    gpu.pstate ?? NO_VALUE,
  ];
  return { title: `GPU ${gpu.index}`, name: gpu.name, stats: STAT_LABELS.map((label, i) => ({ label, value: values[i] ?? NO_VALUE })) };
}

export function dashboardText(s: SnapshotMessage): DashboardText {
  return {
    hostLabel: s.host.label || s.host.id,
    connection: connectionText(s.connection),
    window: s.window,
    emptyText: s.gpus.length > 0 ? null : emptyText(s),
    processes: processesDisplay(s.processes),
  };
}

function emptyText(s: SnapshotMessage): string {
  switch (s.connection.state) {
    case 'connecting':
    case 'reconnecting':
      return t('Waiting for the first sample from this host…');
    case 'stopped':
      return t('Monitoring is stopped for this host.');
    default:
      return t('This host reports no GPUs.');
  }
}
