import type { Micros } from '../providers/money';
import type { LedgerEntry } from './ledgerEntry';
import { costOf } from './rates';

export interface Segment {
  readonly key: string;
  readonly from: number;
  readonly to: number;
  readonly rate: Micros;
}

export interface BookInstance {
  readonly key: string;
  readonly provider: string;
  readonly name: string;
  /** Everything before this is in the ledger. */
  readonly coveredUntil: number;
  /** What it bills from coveredUntil on, until told otherwise. */
  readonly rateAfter: Micros;
}

/**
 * The ledger folded: per instance, non-overlapping segments. A line that overlaps what is already covered is clipped
 * (or dropped when wholly covered), so a line appended twice, or by two windows during a lease takeover, is never
 * counted twice.
 */
export class CostBook {
  private readonly instances = new Map<string, BookInstance>();
  private readonly segs: Segment[] = [];

  add(entries: readonly LedgerEntry[]): void {
    for (const e of entries) this.addOne(e);
  }

  instance(key: string): BookInstance | undefined {
    return this.instances.get(key);
  }

  allInstances(): BookInstance[] {
    return [...this.instances.values()];
  }

  segments(): readonly Segment[] {
    return this.segs;
  }

  /** Segments plus what each instance has billed since its last line, at its last rate, up to `now`. */
  segmentsUntil(now: number): Segment[] {
    const pending = this.allInstances()
      .filter((i) => i.rateAfter > 0 && now > i.coveredUntil)
      .map((i) => ({ key: i.key, from: i.coveredUntil, to: now, rate: i.rateAfter }));
    return [...this.segs, ...pending];
  }

  totalFor(key: string, now: number): Micros {
    return this.segmentsUntil(now).filter((s) => s.key === key).reduce((sum, s) => sum + costOf(s.rate, s.to - s.from), 0);
  }

  private addOne(e: LedgerEntry): void {
    const known = this.instances.get(e.key);
    const from = Math.max(e.from, known?.coveredUntil ?? 0);
    // Wholly covered already: a duplicate. A zero-length line at the edge is a rate change and is applied (idempotent).
    if (known && (e.to < known.coveredUntil || (e.to === known.coveredUntil && e.from < e.to))) return;
    if (e.to > from && e.rate > 0) this.segs.push({ key: e.key, from, to: e.to, rate: e.rate });
    this.instances.set(e.key, { key: e.key, provider: e.provider, name: e.name, coveredUntil: e.to, rateAfter: e.rateAfter });
  }
}
