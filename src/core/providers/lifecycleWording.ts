import type { ProviderCapabilities } from './capabilities';
import type { Instance, InstanceState } from './instance';
import type { ProviderId } from './providerId';
import { t } from '../../shared/l10n';

export type LifecycleAction = 'stop' | 'start' | 'terminate' | 'reboot';

/** What a lifecycle command says before and while it acts. Decided from capabilities, never from a call. */
export interface LifecycleWording {
  /** The modal's question; undefined when the action needs no confirmation (start). */
  readonly confirm?: { readonly message: string; readonly detail: string; readonly button: string };
  /** The progress notification's title. */
  readonly progress: string;
  /** Shown when the state settled. */
  readonly done: string;
}

export interface LifecycleSubject {
  readonly providerId: ProviderId;
  readonly providerName: string;
  readonly capabilities: ProviderCapabilities;
  readonly instance: Pick<Instance, 'id' | 'name' | 'canStop'>;
}

/** What keeps billing on a stopped instance, in the provider's own words (a function: translated when asked). */
const STOPPED_DISK: Partial<Record<ProviderId, () => string>> = {
  runpod: () => t("the pod's volume disk"),
  ec2: () => t('its EBS volumes (and a public IPv4 address, if it has one)'),
  vast: () => t('its disk storage'),
};

/** Which actions an instance offers in its state; the same rule as the menus' `when` clauses (package.json). */
export function availableActions(state: InstanceState, capabilities: ProviderCapabilities, instanceCanStop = true): LifecycleAction[] {
  const actions: LifecycleAction[] = [];
  const canStop = capabilities.canStop && instanceCanStop;
  if (canStop && state === 'running') actions.push('stop');
  if (canStop && state === 'stopped') actions.push('start');
  if (capabilities.canRestart && state === 'running') actions.push('reboot');
  if (state !== 'terminated' && state !== 'terminating') actions.push('terminate');
  return actions;
}

/** When the wait after an action is over. */
export function isSettled(action: LifecycleAction, state: InstanceState): boolean {
  switch (action) {
    case 'stop': return state === 'stopped';
    case 'start': return state === 'running';
    case 'reboot': return state === 'running';
    case 'terminate': return state === 'terminated';
  }
}

export function lifecycleWording(action: LifecycleAction, s: LifecycleSubject): LifecycleWording {
  const name = s.instance.name || s.instance.id;
  const provider = s.providerName;
  switch (action) {
    case 'terminate': {
      const lost = s.capabilities.terminateErasesDisk
        ? t('The instance and its disk are deleted for good: every file on it that is not saved elsewhere is lost and cannot be recovered.')
        : t('The instance is deleted for good.');
      const instead =
        s.capabilities.canStop && s.instance.canStop !== false
          ? t('To pause billing and keep the disk, use Stop instead.')
          : s.capabilities.canStop
            ? t('This instance cannot be stopped (a one-time spot instance): terminating is the only way to end billing.')
            : t('{0} has no stop: terminating is the only way to end billing.', provider);
      return {
        confirm: { message: t('Terminate "{0}" on {1}?', name, provider), detail: [lost, t('Billing for it ends.'), instead].join(' '), button: t('Terminate') },
        progress: t('Terminating "{0}" on {1}...', name, provider),
        done: t('{0} is terminated.', name),
      };
    }
    case 'stop':
      return {
        confirm: { message: t('Stop "{0}" on {1}?', name, provider), detail: stopDetail(s), button: t('Stop') },
        progress: t('Stopping "{0}" on {1}...', name, provider),
        done: t('{0} is stopped.', name),
      };
    case 'start':
      return {
        progress: t('Starting "{0}" on {1}...', name, provider),
        done: s.capabilities.gpuMayNotReturnOnStart ? t('{0} is running. Check its GPUs: it may have come back with fewer.', name) : t('{0} is running.', name),
      };
    case 'reboot':
      return {
        confirm: {
          message: t('Reboot "{0}" on {1}?', name, provider),
          detail: t('Running processes are ended and SSH sessions drop; the disk is kept and billing does not change.'),
          button: t('Reboot'),
        },
        progress: t('Rebooting "{0}" on {1}...', name, provider),
        done: t('{0} is running again.', name),
      };
  }
}

function stopDetail(s: LifecycleSubject): string {
  const parts = [t('The GPU is released and compute billing stops; the disk is kept.')];
  const disk = STOPPED_DISK[s.providerId]?.() ?? t('its disk');
  if (s.capabilities.stopKeepsBilling === 'disk') parts.push(t('While stopped, {0} still bills {1}; terminate to stop that too.', s.providerName, disk));
  if (s.capabilities.stopKeepsBilling === 'all') parts.push(t('While stopped, {0} still bills the full price.', s.providerName));
  if (s.capabilities.gpuMayNotReturnOnStart) {
    parts.push(
      t("The GPU may not come back on start: if someone else rents this machine's GPUs meanwhile, {0} starts it with fewer or no GPUs, or it waits until they are free.", s.providerName),
    );
  }
  return parts.join(' ');
}
