import type { Micros } from '../providers/money';
import { monthStart, dayStart, nextMonthStart } from './calendar';
import type { CostBook, Segment } from './costBook';
import { costOf } from './rates';

export interface InstanceCost {
  readonly key: string;
  readonly provider: string;
  readonly name: string;
  readonly totalMicros: Micros;
  readonly todayMicros: Micros;
  readonly burnMicrosPerHour: Micros;
}

export interface SpendWindow {
  readonly todayMicros: Micros;
  readonly monthMicros: Micros;
}

export interface CostSummary extends SpendWindow {
  /** What everything bills per hour right now (the status bar's $/hour). */
  readonly burnMicrosPerHour: Micros;
  /** This month so far plus the current burn rate until the month ends. */
  readonly projectedMonthMicros: Micros;
  readonly instances: readonly InstanceCost[];
  /** Per provider ('ssh' for SSH hosts), for per-provider budgets. */
  readonly byProvider: ReadonlyMap<string, SpendWindow>;
}

/** The cost of the part of a segment inside [a, b). */
export function costWithin(s: Segment, a: number, b: number): Micros {
  return costOf(s.rate, Math.min(s.to, b) - Math.max(s.from, a));
}

/** The dashboard's and status bar's counters, including what accrued since the last ledger line. */
export function summarize(book: CostBook, now: number, offsetMinutes: number): CostSummary {
  const segs = book.segmentsUntil(now);
  const today = dayStart(now, offsetMinutes);
  const month = monthStart(now, offsetMinutes);
  const instances = book.allInstances().map((i) => {
    const own = segs.filter((s) => s.key === i.key);
    return {
      key: i.key,
      provider: i.provider,
      name: i.name,
      totalMicros: own.reduce((sum, s) => sum + costOf(s.rate, s.to - s.from), 0),
      todayMicros: own.reduce((sum, s) => sum + costWithin(s, today, now), 0),
      burnMicrosPerHour: i.rateAfter,
    };
  });
  const providerOf = new Map(book.allInstances().map((i) => [i.key, i.provider]));
  const byProvider = new Map<string, { todayMicros: number; monthMicros: number }>();
  let todayMicros = 0;
  let monthMicros = 0;
  for (const s of segs) {
    const t = costWithin(s, today, now);
    const m = costWithin(s, month, now);
    todayMicros += t;
    monthMicros += m;
    const p = providerOf.get(s.key) ?? 'unknown';
    const acc = byProvider.get(p) ?? { todayMicros: 0, monthMicros: 0 };
    byProvider.set(p, { todayMicros: acc.todayMicros + t, monthMicros: acc.monthMicros + m });
  }
  const burnMicrosPerHour = instances.reduce((sum, i) => sum + i.burnMicrosPerHour, 0);
  const projectedMonthMicros = monthMicros + costOf(burnMicrosPerHour, nextMonthStart(now, offsetMinutes) - now);
  return { burnMicrosPerHour, todayMicros, monthMicros, projectedMonthMicros, instances, byProvider };
}
