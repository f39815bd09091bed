import type { ObservedBilling } from '../../cost/accrual';
import type { CostLedger, LedgerRole } from '../../cost/costLedger';
import type { CostSummary } from '../../cost/counters';
import { instanceRate, sshHostRate } from '../../cost/rates';
import { toRemoteGpuError } from '../../errors';
import type { Logger } from '../../logger';
import type { Micros } from '../../providers/money';
import type { CloudProvider } from '../../providers/provider';
import type { Clock } from '../../providers/time';

export interface CostSources {
  /** The providers with a key set; listed on every tick, also while the tree is hidden. */
  providers(): Promise<readonly CloudProvider[]>;
  /** SSH hosts with the hourly rate the user set for them (0 by default, then they leave no lines). */
  sshHosts(): readonly { readonly id: string; readonly label: string; readonly microsPerHour: Micros }[];
  /** The user's estimate of a stopped instance's disk price where the provider reports 0 while stopped. */
  stoppedDiskMicrosPerHour(provider: string): Micros | undefined;
}

/** Ledger key of a provider instance (the same id scheme as the tree's). */
export function instanceKey(provider: string, id: string): string {
  return `${provider}:${id}`;
}

/**
 * The accrual loop: lists every provider (a failing one is logged and its instances are left as they were), turns
 * instances and SSH hosts into billing rates, and lets the ledger append if this window holds the lease.
 */
export class CostTracker {
  /** Last running price per instance, for providers that report 0 once stopped. */
  private readonly lastRunning = new Map<string, Micros>();

  constructor(
    private readonly ledger: CostLedger,
    private readonly sources: CostSources,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async tick(signal?: AbortSignal): Promise<LedgerRole> {
    const observed: ObservedBilling[] = [];
    const listed = new Set<string>(['ssh']);
    const results = await Promise.allSettled((await this.sources.providers()).map(async (p) => ({ p, instances: await p.listInstances({ signal }) })));
    for (const r of results) {
      if (r.status === 'rejected') {
        this.log.warn(`cost: a provider listing failed, its instances keep their last rate: ${toRemoteGpuError(r.reason).message}`);
        continue;
      }
      const { p, instances } = r.value;
      listed.add(p.id);
      for (const i of instances) {
        const key = instanceKey(p.id, i.id);
        if (i.state === 'running' && i.priceMicrosPerHour > 0) this.lastRunning.set(key, i.priceMicrosPerHour);
        const rate = instanceRate(i, { capabilities: p.capabilities, lastRunningMicrosPerHour: this.lastRunning.get(key), stoppedDiskMicrosPerHour: this.sources.stoppedDiskMicrosPerHour(p.id) });
        observed.push({ key, provider: p.id, name: i.name, rate, createdAt: i.createdAt });
      }
    }
    for (const h of this.sources.sshHosts()) {
      observed.push({ key: `ssh:${h.id}`, provider: 'ssh', name: h.label, rate: sshHostRate(h.microsPerHour) });
    }
    return this.ledger.tick({ observed, listedProviders: listed, now: this.clock.now() });
  }

  summary(offsetMinutes: number): CostSummary {
    return this.ledger.summary(this.clock.now(), offsetMinutes);
  }
}
