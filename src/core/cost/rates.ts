import type { ProviderCapabilities } from '../providers/capabilities';
import type { Instance, InstanceState } from '../providers/instance';
import type { Micros } from '../providers/money';

/** What is billing, for the ledger and the tooltip: 'estimate' marks a rate we had to assume. */
export interface BillingRate {
  readonly microsPerHour: Micros;
  readonly basis: 'running' | 'stopped' | 'stoppedEstimate' | 'notBilling' | 'sshHost';
}

export interface RateContext {
  readonly capabilities: ProviderCapabilities;
  /** The last running price seen for this instance (providers such as RunPod report 0 once it is stopped). */
  readonly lastRunningMicrosPerHour?: Micros;
  /** User's estimate of the disk's hourly price while stopped (settings), where the provider does not report it. */
  readonly stoppedDiskMicrosPerHour?: Micros;
}

const BILLING_STATES: ReadonlySet<InstanceState> = new Set(['booting', 'running', 'stopping']);

/**
 * The rate an instance bills at in its current state. Provisioning and terminated instances bill nothing; an
 * unknown state keeps the last running price (over-counting is the safe side for a budget).
 */
export function instanceRate(instance: Instance, ctx: RateContext): BillingRate {
  const running = instance.priceMicrosPerHour > 0 ? instance.priceMicrosPerHour : (ctx.lastRunningMicrosPerHour ?? 0);
  if (BILLING_STATES.has(instance.state) || instance.state === 'unknown') return { microsPerHour: running, basis: 'running' };
  if (instance.state !== 'stopped') return { microsPerHour: 0, basis: 'notBilling' };
  switch (ctx.capabilities.stopKeepsBilling) {
    case 'none':
      return { microsPerHour: 0, basis: 'stopped' };
    case 'all':
      return { microsPerHour: ctx.lastRunningMicrosPerHour ?? instance.priceMicrosPerHour, basis: 'stopped' };
    case 'disk':
      // Where the provider reports a stopped price, it is the disk's; else the user's estimate, else nothing known.
      if (instance.priceMicrosPerHour > 0) return { microsPerHour: instance.priceMicrosPerHour, basis: 'stopped' };
      return { microsPerHour: ctx.stoppedDiskMicrosPerHour ?? 0, basis: 'stoppedEstimate' };
  }
}

/** Plain SSH hosts cost what the user says they cost (setting, default 0): an owned box or a flat-rate server. */
export function sshHostRate(settingMicrosPerHour: Micros | undefined): BillingRate {
  return { microsPerHour: settingMicrosPerHour ?? 0, basis: 'sshHost' };
}

/** Cost of `ms` at a rate, rounded to the micro-dollar once per ledger segment. */
export function costOf(microsPerHour: Micros, ms: number): Micros {
  return Math.round((microsPerHour * Math.max(0, ms)) / 3_600_000);
}
