import type { ProviderCapabilities } from './capabilities';
import type { Instance, InstanceState } from './instance';
import type { ProviderId } from './providerId';

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

/** What keeps billing on a stopped instance, in the provider's own words. */
const STOPPED_DISK: Partial<Record<ProviderId, string>> = {
  runpod: "the pod's volume disk",
  ec2: 'its EBS volumes (and a public IPv4 address, if it has one)',
  vast: 'its disk storage',
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
  const on = `"${name}" on ${s.providerName}`;
  switch (action) {
    case 'terminate': {
      const lost = s.capabilities.terminateErasesDisk
        ? 'The instance and its disk are deleted for good: every file on it that is not saved elsewhere is lost and cannot be recovered.'
        : 'The instance is deleted for good.';
      const instead = s.capabilities.canStop && s.instance.canStop !== false ? ' To pause billing and keep the disk, use Stop instead.' : s.capabilities.canStop ? ' This instance cannot be stopped (a one-time spot instance): terminating is the only way to end billing.' : ` ${s.providerName} has no stop: terminating is the only way to end billing.`;
      return {
        confirm: { message: `Terminate ${on}?`, detail: `${lost} Billing for it ends.${instead}`, button: 'Terminate' },
        progress: `Terminating ${on}...`,
        done: `${name} is terminated.`,
      };
    }
    case 'stop':
      return {
        confirm: { message: `Stop ${on}?`, detail: stopDetail(s), button: 'Stop' },
        progress: `Stopping ${on}...`,
        done: `${name} is stopped.`,
      };
    case 'start':
      return {
        progress: `Starting ${on}...`,
        done: s.capabilities.gpuMayNotReturnOnStart ? `${name} is running. Check its GPUs: it may have come back with fewer.` : `${name} is running.`,
      };
    case 'reboot':
      return {
        confirm: { message: `Reboot ${on}?`, detail: 'Running processes are ended and SSH sessions drop; the disk is kept and billing does not change.', button: 'Reboot' },
        progress: `Rebooting ${on}...`,
        done: `${name} is running again.`,
      };
  }
}

function stopDetail(s: LifecycleSubject): string {
  const parts = ['The GPU is released and compute billing stops; the disk is kept.'];
  const disk = STOPPED_DISK[s.providerId] ?? 'its disk';
  if (s.capabilities.stopKeepsBilling === 'disk') parts.push(`While stopped, ${s.providerName} still bills ${disk}; terminate to stop that too.`);
  if (s.capabilities.stopKeepsBilling === 'all') parts.push(`While stopped, ${s.providerName} still bills the full price.`);
  if (s.capabilities.gpuMayNotReturnOnStart) {
    parts.push(`The GPU may not come back on start: if someone else rents this machine's GPUs meanwhile, ${s.providerName} starts it with fewer or no GPUs, or it waits until they are free.`);
  }
  return parts.join(' ');
}
