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
  /** When the provider says it entered its current state (Instance.stateSince); splits a gap, see gapLines. */
  readonly stateSince?: number;
  /** Terminated (still listed, e.g. Vast's unloaded record): without a date it ends at its last sighting, as if gone. */
  readonly ended?: boolean;
}

export interface AccrualInput {
  readonly observed: readonly ObservedBilling[];
  /** Providers whose listing succeeded: only their missing instances are taken as gone (a failed list proves nothing). */
  readonly listedProviders: ReadonlySet<string>;
  /**
   * Keys missing from a successful listing whose end could not be learned this round (asking the provider about
   * them failed): left as they are, not closed, so the next round can still date the end (see CostTracker).
   */
  readonly unsettled?: ReadonlySet<string>;
  readonly now: number;
  readonly writer: string;
}

/**
 * The lines the lease holder appends at `now`. Each instance's time since its last line is charged at the rate that
 * line said it would bill at (sample and hold, also across a restart: a box left running overnight is charged for
 * the night), unless the provider dates a change of rate inside that gap (gapLines); the rate seen now applies from
 * now on. Pure: the book is only read.
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
    out.push(...gapLines(base, known.coveredUntil, known.rateAfter, o, now));
  }
  for (const known of book.allInstances()) {
    if (seen.has(known.key) || known.rateAfter === 0 || !input.listedProviders.has(known.provider) || input.unsettled?.has(known.key)) continue;
    // Gone from a successful listing, and the provider gave no end time (a dated end came in as an observed
    // 'terminated' instance above): billed until it was last seen, then nothing. A zero-length line says so.
    out.push({ v: 1, key: known.key, provider: known.provider, name: known.name, from: known.coveredUntil, to: known.coveredUntil, rate: known.rateAfter, rateAfter: 0, writer });
  }
  return out;
}

type LineBase = Omit<LedgerEntry, 'from' | 'to' | 'rate'>;

/**
 * The gap [coveredUntil, now) of an instance seen again, as ledger lines. Where the rate changed and the provider
 * says when the instance entered its state (a stop, a start or a termination while VS Code was closed or between
 * rounds), the old rate runs until then and the new one after: two contiguous lines, the same v1 format, so nothing
 * is counted twice and older readers fold them as any other. A change dated at or before the last line (the last
 * round saw a listing older than the change) bills the whole gap at the new rate; what was already written stays.
 * Without a date, or with a rate unchanged, the whole gap keeps the old rate: a stop-and-start inside the gap, which
 * the provider cannot date, is billed as running (the safe side for a budget). A termination without a date is the
 * exception: it ends at the last line (last seen), as an instance gone from the listing does.
 */
export function gapLines(base: LineBase, coveredUntil: number, oldRate: number, o: ObservedBilling, now: number): LedgerEntry[] {
  const newRate = o.rate.microsPerHour;
  const since = o.stateSince;
  const dated = since !== undefined && Number.isFinite(since) && since < now && newRate !== oldRate;
  // Ended with no date: billed until it was last seen, the same rule as an instance gone from the listing.
  if (!dated && o.ended && newRate === 0) return [{ ...base, from: coveredUntil, to: coveredUntil, rate: oldRate }];
  if (!dated) return [{ ...base, from: coveredUntil, to: now, rate: oldRate }];
  if (since <= coveredUntil) return [{ ...base, from: coveredUntil, to: now, rate: newRate }];
  const at = Math.round(since);
  return [
    { ...base, from: coveredUntil, to: at, rate: oldRate },
    { ...base, from: at, to: now, rate: newRate },
  ];
}
