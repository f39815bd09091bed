import { formatDollars } from '../../shared/localeFormat';
import type { Instance, InstanceState } from './instance';
import { MICROS_PER_DOLLAR } from './money';
import { t } from '../../shared/l10n';

/** States that end by themselves: the tree polls faster while any instance is in one. */
const TRANSITIONAL: ReadonlySet<InstanceState> = new Set<InstanceState>(['provisioning', 'booting', 'stopping', 'terminating']);

export function isTransitional(state: InstanceState): boolean {
  return TRANSITIONAL.has(state);
}

/** "2h 05m", "3d 4h", "12m"; under a minute is "<1m". */
export function formatUptime(ms: number): string {
  if (!Number.isFinite(ms) || ms < 60_000) return '<1m';
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${String(mins).padStart(2, '0')}m`;
  return `${mins}m`;
}

/** "$23.92/h"; prices under a cent keep three decimals so a $0.004/h storage rate does not read as free. */
export function formatDollarsPerHour(micros: number): string {
  const dollars = micros / MICROS_PER_DOLLAR;
  return t('{0}/h', formatDollars(dollars, dollars > 0 && dollars < 0.01 ? 3 : 2));
}

/** An instance state in words for the tree (the state values themselves are data and stay English). */
export function stateLabel(state: InstanceState): string {
  switch (state) {
    case 'provisioning': return t('provisioning');
    case 'booting': return t('booting');
    case 'running': return t('running');
    case 'stopping': return t('stopping');
    case 'stopped': return t('stopped');
    case 'terminating': return t('terminating');
    case 'terminated': return t('terminated');
    case 'error': return t('error');
    case 'unknown': return t('unknown');
  }
}

/** "H100 x 8"; a pod that came back without GPUs says so. */
export function formatGpus(instance: Pick<Instance, 'gpuModel' | 'gpuCount'>): string {
  if (instance.gpuCount === 0) return t('no GPU');
  return `${instance.gpuModel || 'GPU'} x ${instance.gpuCount}`;
}

/**
 * The tree line after the name: "H100 x 8 · $23.92/h · up 2h 05m". Uptime only while running and only where the
 * provider says when the instance was created; a non-running state is named instead.
 */
export function instanceDescription(instance: Instance, now: number): string {
  const parts = [formatGpus(instance), formatDollarsPerHour(instance.priceMicrosPerHour)];
  if (instance.state === 'running') {
    if (instance.createdAt !== undefined) parts.push(t('up {0}', formatUptime(now - instance.createdAt)));
  } else {
    parts.push(stateLabel(instance.state));
  }
  return parts.join(' · ');
}
