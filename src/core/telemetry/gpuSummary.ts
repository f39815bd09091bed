import type { GpuMetrics } from '../../shared/gpuMetrics';

export interface GpuSummary {
  readonly text: string;
  readonly tooltip: string;
  /** Not live: the item turns to the warning colour so a frozen number is not mistaken for a live one. */
  readonly warning: boolean;
}

/** Mean utilisation and total memory across a host's GPUs; GPUs without a reading are left out, never counted as 0. */
export function summarizeGpus(gpus: readonly GpuMetrics[], state: string): GpuSummary {
  if (gpus.length === 0) return { text: state === 'live' ? 'no GPUs' : state, tooltip: state, warning: state !== 'live' };
  const utils = gpus.map((g) => g.utilizationGpu).filter((v): v is number => v !== undefined);
  const used = gpus.map((g) => g.memoryUsedMiB).filter((v): v is number => v !== undefined);
  const total = gpus.map((g) => g.memoryTotalMiB).filter((v): v is number => v !== undefined);
  const util = utils.length ? `${Math.round(utils.reduce((a, b) => a + b, 0) / utils.length)}%` : '–';
  const mem = used.length && total.length ? `${gib(sum(used))}/${gib(sum(total))} GiB` : '–';
  const text = `${util} · ${mem}${state === 'live' ? '' : ` (${state})`}`;
  const tooltip = `${gpus.length} GPU${gpus.length === 1 ? '' : 's'}, mean utilisation ${util}, memory ${mem}, ${state}`;
  return { text, tooltip, warning: state !== 'live' };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function gib(mib: number): string {
  return (mib / 1024).toFixed(mib >= 10 * 1024 ? 0 : 1);
}

/** The tree's one-line live reading of a GPU: "97% · 61.2/80 GB · 64°C"; unknown values are "–", never 0. */
export function formatGpuLive(m: GpuMetrics): string {
  const util = m.utilizationGpu === undefined ? '–' : `${Math.round(m.utilizationGpu)}%`;
  const mem =
    m.memoryUsedMiB === undefined ? '–' : `${(m.memoryUsedMiB / 1024).toFixed(1)}${m.memoryTotalMiB === undefined ? '' : `/${Math.round(m.memoryTotalMiB / 1024)}`} GiB`;
  const temp = m.temperatureGpuC === undefined ? '–' : `${Math.round(m.temperatureGpuC)}°C`;
  return `${util} · ${mem} · ${temp}`;
}
