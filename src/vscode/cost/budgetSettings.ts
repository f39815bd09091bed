import { DEFAULT_BUDGET_THRESHOLDS, type Budget, type BudgetAction, type BudgetSettings } from '../../core/cost/budgets';
import { dollarsToMicros } from '../../core/providers/money';

/** `remoteGpu.budget.*` as read from the configuration (dollars and percent, as the Settings editor shows them). */
export interface RawBudgetSettings {
  readonly dailyUsd?: unknown;
  readonly monthlyUsd?: unknown;
  /** { "runpod": { "dailyUsd": 20, "monthlyUsd": 300 }, "ssh": {...} } */
  readonly perProvider?: unknown;
  readonly thresholdsPercent?: unknown;
  readonly action?: unknown;
}

const ACTIONS: readonly BudgetAction[] = ['notify', 'stopStoppable', 'stopAllTerminateRest'];

/** Pure: the budget list for evaluateBudgets. A missing, zero or malformed limit is no budget; bad thresholds fall back to 80/100. */
export function budgetSettingsFrom(raw: RawBudgetSettings): BudgetSettings {
  const budgets: Budget[] = [];
  const add = (scope: string, period: Budget['period'], usd: unknown) => {
    if (typeof usd === 'number' && Number.isFinite(usd) && usd > 0) budgets.push({ scope, period, limitMicros: dollarsToMicros(usd) });
  };
  add('all', 'daily', raw.dailyUsd);
  add('all', 'monthly', raw.monthlyUsd);
  if (raw.perProvider && typeof raw.perProvider === 'object') {
    for (const [scope, v] of Object.entries(raw.perProvider as Record<string, unknown>)) {
      if (!v || typeof v !== 'object') continue;
      add(scope, 'daily', (v as { dailyUsd?: unknown }).dailyUsd);
      add(scope, 'monthly', (v as { monthlyUsd?: unknown }).monthlyUsd);
    }
  }
  const percents = Array.isArray(raw.thresholdsPercent) ? raw.thresholdsPercent.filter((p): p is number => typeof p === 'number' && p > 0 && p <= 1000) : [];
  const thresholds = percents.length > 0 ? [...new Set(percents)].map((p) => p / 100) : DEFAULT_BUDGET_THRESHOLDS;
  const action = ACTIONS.includes(raw.action as BudgetAction) ? (raw.action as BudgetAction) : 'notify';
  return { budgets, thresholds, action };
}

/** Whether a machine (ledger key "provider:id" / "ssh:hostId") falls under a budget scope. */
export function inBudgetScope(scope: string, key: string): boolean {
  return scope === 'all' || key.startsWith(`${scope}:`);
}
