import type { CostBook } from './costBook';
import type { LedgerEntry } from './ledgerEntry';
import type { BillingRate } from './rates';

/** One billable thing as seen now: a provider instance or an SSH host. */
export interface ObservedBilling {
  readonly key: string;
  readonly provider: string;
  readonly name: string;
  readonly rate: BillingRate;
  /** The provider's launch time; the first accrual starts here so hours with VS Code closed are counted. */
  readonly createdAt?: number;
}

export interface AccrualInput {
  readonly observed: readonly ObservedBilling[];
  /** Providers whose listing succeeded: only their missing instances are taken as gone (a failed list proves nothing). */
  readonly listedProviders: ReadonlySet<string>;
  readonly now: number;
  readonly writer: string;
}

/**
 * The lines the lease holder appends at `now`. Each instance's time since its last line is charged at the rate that
 * line said it would bill at (sample and hold, also across a restart: a box left running overnight is charged for
 * the night); the rate seen now applies from now on. Pure: the book is only read.
 */
export function accrualEntries(book: CostBook, input: AccrualInput): LedgerEntry[] {
  const { now, writer } = input;
  const out: LedgerEntry[] = [];
  const seen = new Set<string>();
  for (const o of input.observed) {
    seen.add(o.key);
    const known = book.instance(o.key);
    const base = { v: 1 as const, key: o.key, provider: o.provider, name: o.name, rateAfter: o.rate.microsPerHour, writer };
    // Free things (an owned SSH host at the default rate of 0) leave no lines until they cost something.
    if (o.rate.microsPerHour === 0 && (known?.rateAfter ?? 0) === 0) continue;
    if (!known) {
      // First sight: from the provider's launch time where it gives one (never from the future), else from now.
      const from = Math.min(o.createdAt ?? now, now);
      out.push({ ...base, from, to: now, rate: o.rate.microsPerHour });
      continue;
    }
    if (now < known.coveredUntil) continue; // our clock is behind the ledger's (another window wrote ahead)
    if (now === known.coveredUntil && known.rateAfter === o.rate.microsPerHour && known.name === o.name) continue;
    out.push({ ...base, from: known.coveredUntil, to: now, rate: known.rateAfter });
  }
  for (const known of book.allInstances()) {
    if (seen.has(known.key) || known.rateAfter === 0 || !input.listedProviders.has(known.provider)) continue;
    // Gone from a successful listing: billed until now at most (it ended since the last look), then nothing.
    out.push({ v: 1, key: known.key, provider: known.provider, name: known.name, from: known.coveredUntil, to: Math.max(now, known.coveredUntil), rate: known.rateAfter, rateAfter: 0, writer });
  }
  return out;
}
