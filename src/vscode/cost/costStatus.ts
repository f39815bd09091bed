import type { CostSummary } from '../../core/cost/counters';
import type { IdleVerdict } from '../../core/idle/idleTypes';
import type { CostStatus } from '../../shared/costStatus';

const AUDIT_SHOWN = 20;

/** Pure: the dashboard's cost section for one machine (ledger key), or undefined before the first cost round. */
export function costStatusFor(summary: CostSummary | undefined, key: string, verdict: IdleVerdict | undefined, audit: readonly string[]): CostStatus | undefined {
  if (!summary) return undefined;
  const own = summary.instances.find((i) => i.key === key);
  const int = (n: number) => Math.max(0, Math.round(n));
  return {
    ...(own ? { machineMicros: int(own.totalMicros) } : {}),
    todayMicros: int(summary.todayMicros),
    monthMicros: int(summary.monthMicros),
    projectedMonthMicros: int(summary.projectedMonthMicros),
    burnMicrosPerHour: int(summary.burnMicrosPerHour),
    ...(verdict ? { autoStop: { status: verdict.status, explanation: verdict.explanation.slice(0, 500) } } : {}),
    // Newest first, each line bounded like the schema.
    audit: audit.slice(-AUDIT_SHOWN).reverse().map((l) => l.slice(0, 500)),
  };
}
