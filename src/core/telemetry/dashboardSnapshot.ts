import type { HistoryMetricKey, HistoryWindow } from '../../shared/gpuMetrics';
import { HISTORY_METRIC_KEYS } from '../../shared/gpuMetrics';
import type { SnapshotMessage } from '../../shared/dashboardMessages';
import type { GpuSeries, GpuSnapshot, MetricSeries, ProcessesView } from '../../shared/telemetryProtocol';
import { PROTOCOL_LIMITS, PROTOCOL_VERSION } from '../../shared/telemetryProtocol';
import type { HostHistory } from './history';
import { toWireSeries } from './historyWire';
import type { HostSample } from './sampleGrouper';
import type { StreamState } from './streamState';
import { toConnectionView } from './streamState';

export interface SnapshotInput {
  readonly host: { readonly id: string; readonly label: string };
  readonly intervalMs: number;
  readonly window: HistoryWindow;
  /** The caller's clock (epoch ms), the same clock history and stream state were fed with. */
  readonly now: number;
  readonly state: StreamState;
  /** The newest tick, for the current values; undefined before the first one. */
  readonly latest: HostSample | undefined;
  readonly history: HostHistory;
  readonly processes: ProcessesView;
}

/**
 * The full snapshot the host posts to a dashboard: every GPU's current values and chart series for the selected
 * window, the connection state and the processes. Always whole (never a delta), cut to the protocol's limits so it
 * validates on the other side.
 */
export function buildSnapshot(input: SnapshotInput): SnapshotMessage {
  const gpus = (input.latest?.gpus ?? []).slice(0, PROTOCOL_LIMITS.maxGpus).map((gpu): GpuSnapshot => {
    const history = input.history.gpu(gpu.uuid);
    return {
      index: gpu.index,
      uuid: gpu.uuid.slice(0, PROTOCOL_LIMITS.maxLabelLength),
      name: gpu.name.slice(0, PROTOCOL_LIMITS.maxLabelLength),
      pstate: gpu.pstate?.slice(0, 16) ?? null,
      current: gpu.metrics,
      series: history ? toWireSeries(history.query(input.window, input.now)) : emptySeries(input.window),
    };
  });
  return {
    type: 'snapshot',
    protocolVersion: PROTOCOL_VERSION,
    host: { id: input.host.id.slice(0, PROTOCOL_LIMITS.maxLabelLength), label: input.host.label.slice(0, PROTOCOL_LIMITS.maxLabelLength) },
    connection: toConnectionView(input.state),
    intervalMs: input.intervalMs,
    window: input.window,
    gpus,
    processes: input.processes,
    sentAt: input.now,
  };
}

function emptySeries(window: HistoryWindow): GpuSeries {
  const empty: MetricSeries = { value: [] };
  const metrics = Object.fromEntries(HISTORY_METRIC_KEYS.map((k) => [k, empty])) as Record<HistoryMetricKey, MetricSeries>;
  return { window, t: [], metrics };
}
