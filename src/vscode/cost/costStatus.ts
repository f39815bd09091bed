import type { BudgetSettings } from '../../core/cost/budgets';
import type { CostSummary, SpendWindow } from '../../core/cost/counters';
import type { IdleVerdict } from '../../core/idle/idleTypes';
import type { BudgetRow, CostStatus } from '../../shared/costStatus';
import { inBudgetScope } from './budgetSettings';

const AUDIT_SHOWN = 20;
const BUDGETS_SHOWN = 12;

/** The budgets as the dashboard needs them: the settings, and a scope in words ("RunPod", "SSH hosts"). */
export interface BudgetView {
  readonly settings: BudgetSettings;
  readonly scopeName: (scope: string) => string;
}

/** Pure: the dashboard's cost section for one machine (ledger key), or undefined before the first cost round. */
export function costStatusFor(summary: CostSummary | undefined, key: string, verdict: IdleVerdict | undefined, audit: readonly string[], budgets?: BudgetView): CostStatus | undefined {
  if (!summary) return undefined;
  const own = summary.instances.find((i) => i.key === key);
  const rows = budgets ? budgetRowsFor(summary, key, budgets) : [];
  return {
    ...(own ? { machineMicros: int(own.totalMicros) } : {}),
    todayMicros: int(summary.todayMicros),
    monthMicros: int(summary.monthMicros),
    projectedMonthMicros: int(summary.projectedMonthMicros),
    burnMicrosPerHour: int(summary.burnMicrosPerHour),
    ...(rows.length > 0 ? { budgets: rows } : {}),
    ...(verdict ? { autoStop: { status: verdict.status, explanation: verdict.explanation.slice(0, 500) } } : {}),
    // Newest first, each line bounded like the schema.
    audit: audit.slice(-AUDIT_SHOWN).reverse().map((l) => l.slice(0, 500)),
  };
}

/**
 * Pure: every budget that counts this machine's spending (the global ones, and its provider's: `ssh` for SSH hosts),
 * in settings order (global first), each with its period's spending as evaluateBudgets reckons it and the highest
 * alert threshold reached, so the dashboard marks the same rows the alerts were about.
 */
export function budgetRowsFor(summary: CostSummary, key: string, budgets: BudgetView): BudgetRow[] {
  const thresholds = [...budgets.settings.thresholds].sort((a, b) => a - b);
  return budgets.settings.budgets
    .filter((b) => b.limitMicros >= 1 && inBudgetScope(b.scope, key))
    .slice(0, BUDGETS_SHOWN)
    .map((b) => {
      const window: SpendWindow = b.scope === 'all' ? summary : (summary.byProvider.get(b.scope) ?? { todayMicros: 0, monthMicros: 0 });
      const spent = int(b.period === 'daily' ? window.todayMicros : window.monthMicros);
      const limit = int(b.limitMicros);
      const reached = thresholds.filter((level) => spent >= level * limit).at(-1);
      const percent = reached === undefined ? undefined : Math.min(1000, Math.max(1, Math.round(reached * 100)));
      const scope = b.scope === 'all' ? undefined : budgets.scopeName(b.scope).slice(0, 100);
      return { period: b.period, ...(scope ? { scope } : {}), spentMicros: spent, limitMicros: limit, ...(percent !== undefined ? { reachedPercent: percent } : {}) };
    });
}

function int(n: number): number {
  return Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.round(n)));
}
