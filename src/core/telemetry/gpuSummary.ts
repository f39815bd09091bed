import type { GpuMetrics } from '../../shared/gpuMetrics';
import { t } from '../../shared/l10n';

export interface GpuSummary {
  readonly text: string;
  readonly tooltip: string;
  /** Not live: the item turns to the warning colour so a frozen number is not mistaken for a live one. */
  readonly warning: boolean;
}

/**
 * Mean utilisation and total memory across a host's GPUs; GPUs without a reading are left out, never counted as 0.
 * `error` is the stream's last failure (safe to show): while the stream is not live it is what the user needs, since
 * "connecting" alone would hide that nvidia-smi is missing or the key was refused and the next try is a minute away.
 */
export function summarizeGpus(gpus: readonly GpuMetrics[], connection: string, error?: string): GpuSummary {
  const failing = connection !== 'live' && connection !== 'stopped' && error !== undefined;
  const state = failing ? t('unavailable') : connectionWord(connection);
  if (gpus.length === 0) return { text: connection === 'live' ? t('no GPUs') : state, tooltip: failing ? `${state}: ${error}` : state, warning: connection !== 'live' };
  const utils = gpus.map((g) => g.utilizationGpu).filter((v): v is number => v !== undefined);
  const used = gpus.map((g) => g.memoryUsedMiB).filter((v): v is number => v !== undefined);
  const total = gpus.map((g) => g.memoryTotalMiB).filter((v): v is number => v !== undefined);
  const util = utils.length ? `${Math.round(utils.reduce((a, b) => a + b, 0) / utils.length)}%` : '–';
  const mem = used.length && total.length ? `${gib(sum(used))}/${gib(sum(total))} GiB` : '–';
  const text = `${util} · ${mem}${connection === 'live' ? '' : ` (${state})`}`;
  const tooltip =
    gpus.length === 1
      ? t('1 GPU, mean utilisation {0}, memory {1}, {2}', util, mem, state)
      : t('{0} GPUs, mean utilisation {1}, memory {2}, {3}', gpus.length, util, mem, state);
  return { text, tooltip, warning: connection !== 'live' };
}

/** The telemetry connection state in words (the state values are data and stay English). */
function connectionWord(state: string): string {
  switch (state) {
    case 'live': return t('live');
    case 'connecting': return t('connecting');
    case 'reconnecting': return t('reconnecting');
    case 'stale': return t('stale');
    case 'stopped': return t('stopped');
    default: return state;
  }
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
