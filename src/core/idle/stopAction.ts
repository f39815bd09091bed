import type { ProviderCapabilities } from '../providers/capabilities';
import type { ProviderId } from '../providers/providerId';
import type { WatchdogStop } from '../watchdog/watchdogConfig';

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
export function planStop(t: StopTarget): StopPlan {
  if (t.kind === 'sshHost') {
    return t.stopCommand && t.stopCommand.length > 0
      ? { action: 'command', argv: t.stopCommand, why: 'the stop command configured for this host' }
      : { action: 'none', why: 'no stop command is configured for this SSH host' };
  }
  if (t.capabilities.canStop) return { action: 'stop', why: 'the provider can stop it' };
  if (t.terminateOptIn) return { action: 'terminate', why: `${t.provider} cannot stop instances and you allowed terminating them` };
  return { action: 'none', why: `${t.provider} cannot stop instances and terminating is not allowed for it` };
}

/** How the watchdog on the instance stops it, needing no account key there; `none` where it can only report. */
export function watchdogStopFor(t: StopTarget): WatchdogStop {
  if (t.kind === 'sshHost') return t.stopCommand && t.stopCommand.length > 0 ? { kind: 'command', argv: t.stopCommand } : { kind: 'none' };
  switch (t.provider) {
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
export function planBudgetStop(action: 'stopStoppable' | 'stopAllTerminateRest', t: StopTarget): StopPlan {
  if (t.kind === 'instance' && !t.capabilities.canStop) {
    return action === 'stopAllTerminateRest'
      ? { action: 'terminate', why: `the budget action terminates what cannot stop (${t.provider})` }
      : { action: 'none', why: `${t.provider} cannot stop instances; the budget action only stops` };
  }
  return planStop(t);
}
