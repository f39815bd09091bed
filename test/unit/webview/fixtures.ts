import type { SnapshotMessage } from '../../../src/shared/dashboardMessages';
import { HISTORY_METRIC_KEYS } from '../../../src/shared/gpuMetrics';
import type { GpuMetrics, HistoryMetricKey, HistoryWindow } from '../../../src/shared/gpuMetrics';
import type { ConnectionView, GpuSnapshot, MetricSeries, ProcessesView } from '../../../src/shared/telemetryProtocol';
import { PROTOCOL_VERSION } from '../../../src/shared/telemetryProtocol';
import type { ChartFactory, ChartFrame, ChartOptions, TimeChart } from '../../../webview/shared/chartPort';

export const NOW = 1_795_000_000_000;

export interface SnapshotOptions {
  readonly gpus?: number;
  readonly window?: HistoryWindow;
  /** Points per series; defaults to the window at 1 s (24 h: 1,440 one-minute buckets). */
  readonly points?: number;
  readonly stepMs?: number;
  readonly connection?: Partial<ConnectionView>;
  readonly processes?: ProcessesView;
  readonly current?: GpuMetrics;
  readonly names?: readonly string[];
  readonly label?: string;
}

const H100: GpuMetrics = {
  utilizationGpu: 98,
  utilizationMemory: 61,
  memoryUsedMiB: 72_310,
  memoryTotalMiB: 81_559,
  temperatureGpuC: 64,
  temperatureMemoryC: 70,
  powerDrawW: 612.4,
  powerLimitW: 700,
  clockSmMHz: 1980,
  clockMemMHz: 2619,
};

const DEFAULT_POINTS: Readonly<Record<HistoryWindow, { points: number; stepMs: number }>> = {
  '5m': { points: 300, stepMs: 1_000 },
  '1h': { points: 3_600, stepMs: 1_000 },
  '24h': { points: 1_440, stepMs: 60_000 },
};

/** A wire snapshot shaped like buildSnapshot's: training-like curves, a run of null (a reconnect gap) in the middle. */
export function makeSnapshot(o: SnapshotOptions = {}): SnapshotMessage {
  const window = o.window ?? '5m';
  const points = o.points ?? DEFAULT_POINTS[window].points;
  const stepMs = o.stepMs ?? DEFAULT_POINTS[window].stepMs;
  const t = Array.from({ length: points }, (_, i) => NOW - (points - 1 - i) * stepMs);
  const gpus = Array.from({ length: o.gpus ?? 1 }, (_, g): GpuSnapshot => ({
    index: g,
    uuid: `GPU-${String(g).padStart(8, '0')}-b1da-fae8-5276-fbfc4b95eb47`,
    name: o.names?.[g] ?? 'NVIDIA H100 80GB HBM3',
    pstate: 'P0',
    current: o.current ?? H100,
    series: { window, t, metrics: metrics(points, g, window === '24h') },
  }));
  return {
    type: 'snapshot',
    protocolVersion: PROTOCOL_VERSION,
    host: { id: 'ssh:gpu-box', label: o.label ?? 'gpu-box' },
    connection: { state: 'live', lastSampleAgeMs: 400, retryInMs: null, error: null, ...o.connection },
    intervalMs: 1000,
    window,
    gpus,
    processes: o.processes ?? { kind: 'list', items: [{ pid: 4242, name: 'python train.py', gpuUuid: 'GPU-00000000', gpuIndex: 0, usedMemoryMiB: 72_000 }] },
    sentAt: NOW,
  };
}

const SCALE: Readonly<Record<HistoryMetricKey, [number, number]>> = {
  utilizationGpu: [2, 100],
  utilizationMemory: [0, 70],
  memoryUsedMiB: [500, 79_000],
  temperatureGpuC: [35, 78],
  temperatureMemoryC: [38, 85],
  powerDrawW: [70, 690],
  clockSmMHz: [345, 1980],
};

function metrics(points: number, gpu: number, buckets: boolean): Record<HistoryMetricKey, MetricSeries> {
  const gapFrom = Math.floor(points / 2);
  const column = (key: HistoryMetricKey, shift: number): (number | null)[] =>
    Array.from({ length: points }, (_, i) => {
      if (i >= gapFrom && i < gapFrom + 30) return null;
      const [lo, hi] = SCALE[key];
      const wave = 0.5 + 0.5 * Math.sin((i + gpu * 17) / 40);
      return Math.round((lo + (hi - lo) * Math.min(1, Math.max(0, wave + shift))) * 100) / 100;
    });
  const entries = HISTORY_METRIC_KEYS.map((key) => {
    const series: MetricSeries = buckets ? { value: column(key, 0), min: column(key, -0.2), max: column(key, 0.2) } : { value: column(key, 0) };
    return [key, series] as const;
  });
  return Object.fromEntries(entries) as Record<HistoryMetricKey, MetricSeries>;
}

/** What a fake chart was given, for assertions; `points` sums the columns' lengths like uPlot would walk them. */
export interface FakeChart extends TimeChart {
  readonly options: ChartOptions;
  readonly container: HTMLElement;
  updates: number;
  redraws: number;
  destroyed: boolean;
  lastT: readonly number[] | null;
  lastSeries: MetricSeries | null;
  lastFrame: ChartFrame | null;
}

/** An in-memory chart factory: happy-dom has no canvas, and the DOM layer must not care who draws. */
export function fakeCharts(): { factory: ChartFactory; charts: FakeChart[] } {
  const charts: FakeChart[] = [];
  const factory: ChartFactory = (container, options) => {
    const chart: FakeChart = {
      options,
      container,
      updates: 0,
      redraws: 0,
      destroyed: false,
      lastT: null,
      lastSeries: null,
      lastFrame: null,
      update(t, series, frame) {
        chart.updates++;
        chart.lastT = t;
        chart.lastSeries = series;
        chart.lastFrame = { ...frame };
      },
      redraw() {
        chart.redraws++;
      },
      destroy() {
        chart.destroyed = true;
      },
    };
    charts.push(chart);
    return chart;
  };
  return { factory, charts };
}
