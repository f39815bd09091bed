import type { ProviderCapabilities } from '../providers/capabilities';
import type { ProviderId } from '../providers/providerId';
import type { WatchdogStop } from '../watchdog/watchdogConfig';
import { t } from '../../shared/l10n';

/** What stopping this machine may mean. */
export type StopTarget =
  | { readonly kind: 'instance'; readonly provider: ProviderId; readonly capabilities: ProviderCapabilities; readonly terminateOptIn: boolean }
  | { readonly kind: 'sshHost'; readonly stopCommand?: readonly string[] };

export type StopPlan =
  | { readonly action: 'stop' | 'terminate'; readonly why: string }
  | { readonly action: 'command'; readonly argv: readonly string[]; readonly why: string }
  | { readonly action: 'none'; readonly why: string };

/**
 * The automatic stop for one machine: stop where the provider can; terminate only where the user opted in for that
 * provider (Lambda can only terminate); an SSH host only through a command the user configured for it.
 */
export function planStop(target: StopTarget): StopPlan {
  if (target.kind === 'sshHost') {
    return target.stopCommand && target.stopCommand.length > 0
      ? { action: 'command', argv: target.stopCommand, why: t('the stop command configured for this host') }
      : { action: 'none', why: t('no stop command is configured for this SSH host') };
  }
  if (target.capabilities.canStop) return { action: 'stop', why: t('the provider can stop it') };
  if (target.terminateOptIn) return { action: 'terminate', why: t('its provider cannot stop instances and you allowed terminating them') };
  return { action: 'none', why: t('its provider cannot stop instances and terminating is not allowed for it') };
}

/** How the watchdog on the instance stops it, needing no account key there; `none` where it can only report. */
export function watchdogStopFor(target: StopTarget): WatchdogStop {
  if (target.kind === 'sshHost') return target.stopCommand && target.stopCommand.length > 0 ? { kind: 'command', argv: target.stopCommand } : { kind: 'none' };
  switch (target.provider) {
    case 'ec2':
      return { kind: 'shutdown' };
    case 'runpod':
      return { kind: 'runpod' };
    case 'vast':
      return { kind: 'vast' };
    case 'lambda':
      // Lambda only terminates, and only with the account's key: the watchdog reports, the extension acts.
      return { kind: 'none' };
  }
}

/**
 * What a budget at 100 % does to one machine in its scope. 'stopStoppable' leaves what cannot stop alone;
 * 'stopAllTerminateRest' is itself the user's consent to terminate what cannot stop. SSH hosts follow their command.
 */
export function planBudgetStop(action: 'stopStoppable' | 'stopAllTerminateRest', target: StopTarget): StopPlan {
  if (target.kind === 'instance' && !target.capabilities.canStop) {
    return action === 'stopAllTerminateRest'
      ? { action: 'terminate', why: t('the budget action terminates what cannot stop') }
      : { action: 'none', why: t('its provider cannot stop instances; the budget action only stops') };
  }
  return planStop(target);
}
