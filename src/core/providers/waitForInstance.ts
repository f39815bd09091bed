import { stateLabel } from './instanceSummary';
import { RemoteGpuError } from '../errors';
import { throwIfAborted } from '../http/jsonClient';
import type { Instance } from './instance';
import type { CallOptions } from './provider';
import type { Clock, Sleep } from './time';
import { t } from '../../shared/l10n';

/** How to poll. Time is injected, so a ten-minute boot is tested in microseconds. */
export interface WaitOptions {
  /** True when the wait is over, e.g. `(i) => i.state === 'running' && i.ssh !== undefined`. */
  readonly until: (instance: Instance) => boolean;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Called when the state (or SSH endpoint) changes, for a progress notification. */
  readonly onChange?: (instance: Instance) => void;
}

/** The instance is running and says where to SSH: what the provisioning flow waits for. */
export function isReadyForSsh(instance: Instance): boolean {
  return instance.state === 'running' && instance.ssh !== undefined;
}

/**
 * Polls getInstance until `until` holds. Rejects with 'timeout' after timeoutMs, 'cancelled' on abort, and
 * 'remoteFailed' when the instance ends in 'error' or 'terminated' without satisfying `until`: waiting longer
 * would not help. Transient errors are already retried inside getInstance.
 */
export async function waitForInstance(
  provider: { getInstance(id: string, options?: CallOptions): Promise<Instance> },
  instanceId: string,
  options: WaitOptions,
): Promise<Instance> {
  const deadline = options.clock.now() + options.timeoutMs;
  let lastKey = '';
  for (;;) {
    throwIfAborted(options.signal);
    const instance = await provider.getInstance(instanceId, options.signal ? { signal: options.signal } : {});
    const key = `${instance.state}|${instance.ssh?.host ?? ''}:${instance.ssh?.port ?? ''}`;
    if (key !== lastKey) options.onChange?.(instance);
    lastKey = key;
    if (options.until(instance)) return instance;
    if (instance.state === 'error' || instance.state === 'terminated') {
      throw new RemoteGpuError('remoteFailed', t('Instance {0} ended up {1} ({2}).', instance.name || instanceId, stateLabel(instance.state), instance.providerStatus));
    }
    const left = deadline - options.clock.now();
    if (left <= 0) {
      throw new RemoteGpuError('timeout', t('Instance {0} was still {1} after {2} s.', instance.name || instanceId, stateLabel(instance.state), Math.round(options.timeoutMs / 1000)));
    }
    await options.sleep(Math.min(options.intervalMs, left), options.signal);
  }
}
