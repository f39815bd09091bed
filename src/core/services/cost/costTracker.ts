import type { ObservedBilling } from '../../cost/accrual';
import type { CostLedger, LedgerRole } from '../../cost/costLedger';
import type { CostSummary } from '../../cost/counters';
import { instanceRate, sshHostRate } from '../../cost/rates';
import { toRemoteGpuError } from '../../errors';
import type { Logger } from '../../logger';
import type { Instance } from '../../providers/instance';
import type { Micros } from '../../providers/money';
import type { CloudProvider } from '../../providers/provider';
import type { ProviderId } from '../../providers/providerId';
import type { Clock } from '../../providers/time';
import { goneInstances } from './goneInstances';

/** A provider's instance list someone else asked for (the Instances tree's poll), with when it arrived (epoch ms). */
export type RecentListing = { readonly at: number } & ({ readonly ok: true; readonly instances: readonly Instance[] } | { readonly ok: false; readonly error: unknown });

export interface CostSources {
  /** The providers with a key set; listed on every tick, also while the tree is hidden. */
  providers(): Promise<readonly CloudProvider[]>;
  /** SSH hosts with the hourly rate the user set for them (0 by default, then they leave no lines). */
  sshHosts(): readonly { readonly id: string; readonly label: string; readonly microsPerHour: Micros }[];
  /** The user's estimate of a stopped instance's disk price where the provider reports 0 while stopped. */
  stoppedDiskMicrosPerHour(provider: string): Micros | undefined;
  /**
   * The newest listing of a provider made elsewhere (a listing in flight is awaited). Used instead of asking the
   * provider again while it is at most `reuseListingMs` old: the tree's once-a-minute poll (view hidden, auto-stop on)
   * and this tracker's own minute would otherwise both call every provider.
   */
  recentListing?(provider: ProviderId): Promise<RecentListing | undefined>;
}

export interface CostTrackerOptions {
  /** How old a recentListing may be and still stand in for a call of our own; 0 (default): never reused. */
  readonly reuseListingMs?: number;
}

/**
 * How old the tree's listing may be and still count for a cost round. The tree's hidden-view poll runs a minute after
 * the previous one ended, while the cost loop runs every minute on the clock: their phase drifts, so at a round the
 * newest list is anywhere from 0 to about one interval old (a poll in flight is awaited), more when timers run late
 * on a busy extension host. Half an interval of slack keeps it one list call per provider a minute, not two; once
 * that poll stops (view hidden, auto-stop off) its last list serves one round at most.
 */
export function reuseListingMs(intervalMs: number): number {
  return Math.round(1.5 * intervalMs);
}

/** Ledger key of a provider instance (the same id scheme as the tree's). */
export function instanceKey(provider: string, id: string): string {
  return `${provider}:${id}`;
}

/**
 * The accrual loop: lists every provider (a failing one is logged and its instances are left as they were), asks
 * about billed instances a listing no longer shows (goneInstances), turns instances and SSH hosts into billing rates,
 * and lets the ledger append if this window holds the lease.
 */
export class CostTracker {
  /** Last running price per instance, for providers that report 0 once stopped. */
  private readonly lastRunning = new Map<string, Micros>();
  /** Failed asks per gone instance (goneInstances), so a failure that persists ends it rather than holding it open. */
  private readonly goneTries = new Map<string, number>();

  constructor(
    private readonly ledger: CostLedger,
    private readonly sources: CostSources,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: CostTrackerOptions = {},
  ) {}

  async tick(signal?: AbortSignal): Promise<LedgerRole> {
    const observed: ObservedBilling[] = [];
    const listed = new Set<string>(['ssh']);
    const unsettled = new Set<string>();
    const results = await Promise.allSettled((await this.sources.providers()).map(async (p) => ({ p, instances: await this.instancesOf(p, signal) })));
    // The book as the file has it now, to see which billed instances a listing no longer shows (goneInstances).
    await this.ledger.sync();
    for (const r of results) {
      if (r.status === 'rejected') {
        this.log.warn(`cost: a provider listing failed, its instances keep their last rate: ${toRemoteGpuError(r.reason).message}`);
        continue;
      }
      const { p, instances: listedNow } = r.value;
      listed.add(p.id);
      // Ended while nobody looked, and the provider still dates it: observed as terminated, so the gap ends there.
      const gone = await goneInstances(p, this.ledger.book, new Set(listedNow.map((i) => i.id)), this.goneTries, this.log, signal);
      for (const key of gone.unsettled) unsettled.add(key);
      for (const i of [...listedNow, ...gone.ended]) {
        const key = instanceKey(p.id, i.id);
        if (i.state === 'running' && i.priceMicrosPerHour > 0) this.lastRunning.set(key, i.priceMicrosPerHour);
        const rate = instanceRate(i, { capabilities: p.capabilities, lastRunningMicrosPerHour: this.lastRunning.get(key), stoppedDiskMicrosPerHour: this.sources.stoppedDiskMicrosPerHour(p.id) });
        // stateSince splits a gap at the provider's own time of a stop or start (accrual.ts gapLines).
        observed.push({ key, provider: p.id, name: i.name, rate, createdAt: i.createdAt, stateSince: i.stateSince, ...(i.state === 'terminated' ? { ended: true } : {}) });
      }
    }
    for (const h of this.sources.sshHosts()) {
      observed.push({ key: `ssh:${h.id}`, provider: 'ssh', name: h.label, rate: sshHostRate(h.microsPerHour) });
    }
    return this.ledger.tick({ observed, listedProviders: listed, unsettled, now: this.clock.now() });
  }

  /** A fresh enough listing from elsewhere (its failure included: one call a minute, not a retry), else our own. */
  private async instancesOf(p: CloudProvider, signal: AbortSignal | undefined): Promise<readonly Instance[]> {
    const maxAge = this.options.reuseListingMs ?? 0;
    const recent = maxAge > 0 ? await this.sources.recentListing?.(p.id) : undefined;
    if (recent && this.clock.now() - recent.at <= maxAge) {
      if (recent.ok) return recent.instances;
      throw recent.error;
    }
    return p.listInstances({ signal });
  }

  summary(offsetMinutes: number): CostSummary {
    return this.ledger.summary(this.clock.now(), offsetMinutes);
  }
}
