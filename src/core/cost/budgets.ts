import type { Micros } from '../providers/money';
import { formatUsd } from '../../shared/localeFormat';
import { dayStart, monthStart } from './calendar';
import type { CostSummary, SpendWindow } from './counters';
import { t } from '../../shared/l10n';

export type BudgetAction = 'notify' | 'stopStoppable' | 'stopAllTerminateRest';

export interface Budget {
  readonly period: 'daily' | 'monthly';
  /** 'all', or one provider id ('ssh' for SSH hosts). */
  readonly scope: string;
  readonly limitMicros: Micros;
}

export interface BudgetSettings {
  readonly budgets: readonly Budget[];
  /** Fractions of the limit that alert; default [0.8, 1]. */
  readonly thresholds: readonly number[];
  /** What happens at 100 %; 'notify' by default. */
  readonly action: BudgetAction;
}

export const DEFAULT_BUDGET_THRESHOLDS: readonly number[] = [0.8, 1];

/** Which alerts already fired in which period, so each fires once (persisted with the idle state). */
export interface BudgetState {
  readonly fired: readonly string[];
}

export type BudgetEffect =
  | { readonly kind: 'alert'; readonly budget: Budget; readonly threshold: number; readonly spentMicros: Micros; readonly message: string }
  /** At 100 % with an action other than notify: the caller warns and stops through the idle reducer's warning path. */
  | { readonly kind: 'enforce'; readonly budget: Budget; readonly action: Exclude<BudgetAction, 'notify'>; readonly scope: string; readonly message: string };

export interface BudgetVerdict {
  readonly state: BudgetState;
  readonly effects: readonly BudgetEffect[];
  /** Scopes over a limit right now; a scope no longer listed (new day or month) can be cleared. */
  readonly exceededScopes: readonly string[];
}

/**
 * A provider's name as people read it ("RunPod" for the settings key `runpod`); undefined for a key it does not know,
 * which is then shown as typed. The names live with the provider list in the UI layer, so they come in as a function.
 */
export type ProviderNameOf = (providerId: string) => string | undefined;

/** Pure: spending against every budget, alerts once per threshold per period, and the enforcement at 100 %. */
export function evaluateBudgets(
  summary: CostSummary,
  settings: BudgetSettings,
  state: BudgetState,
  now: number,
  offsetMinutes: number,
  providerName: ProviderNameOf = () => undefined,
): BudgetVerdict {
  const describe = (b: Budget) => describeBudget(b, scopeName(b.scope, providerName));
  const fired = new Set(state.fired);
  const effects: BudgetEffect[] = [];
  const exceeded = new Set<string>();
  const thresholds = [...settings.thresholds].sort((a, b) => a - b);
  for (const budget of settings.budgets) {
    if (!(budget.limitMicros > 0)) continue;
    const window = spendIn(summary, budget.scope);
    const spent = budget.period === 'daily' ? window.todayMicros : window.monthMicros;
    const periodStart = budget.period === 'daily' ? dayStart(now, offsetMinutes) : monthStart(now, offsetMinutes);
    const id = `${budget.period}:${budget.scope}:${periodStart}`;
    const crossed = thresholds.filter((level) => spent >= level * budget.limitMicros);
    const top = crossed.at(-1);
    if (top !== undefined && !fired.has(`${id}:${top}`)) {
      // Only the highest newly crossed threshold alerts: a jump from 50 % to 120 % is one message, not two.
      crossed.forEach((level) => fired.add(`${id}:${level}`));
      effects.push({ kind: 'alert', budget, threshold: top, spentMicros: spent, message: alertText(describe(budget), spent, top) });
      if (top >= 1 && settings.action !== 'notify') {
        effects.push({ kind: 'enforce', budget, action: settings.action, scope: budget.scope, message: t('{0} reached: {1}.', describe(budget), actionText(settings.action)) });
      }
    }
    if (spent >= budget.limitMicros) exceeded.add(budget.scope);
  }
  // Forget alerts of past periods: the list stays as long as the budget list.
  const current = new Set(settings.budgets.map((b) => `${b.period}:${b.scope}:${b.period === 'daily' ? dayStart(now, offsetMinutes) : monthStart(now, offsetMinutes)}`));
  const kept = [...fired].filter((f) => current.has(f.slice(0, f.lastIndexOf(':'))));
  return { state: { fired: kept }, effects, exceededScopes: [...exceeded] };
}

function spendIn(summary: CostSummary, scope: string): SpendWindow {
  if (scope === 'all') return summary;
  return summary.byProvider.get(scope) ?? { todayMicros: 0, monthMicros: 0 };
}

/** The scope in words: the provider's display name, "SSH hosts" for `ssh`, else the key as the user typed it. */
function scopeName(scope: string, providerName: ProviderNameOf): string {
  if (scope === 'ssh') return t('SSH hosts');
  return providerName(scope) ?? scope;
}

/** Whole phrases per period and scope, so a translation never gets "Daily" or " for RunPod" spliced in. */
function describeBudget(b: Budget, scope: string): string {
  const limit = formatUsd(b.limitMicros);
  if (b.period === 'daily') return b.scope === 'all' ? t('Daily budget of {0}', limit) : t('Daily budget for {0} of {1}', scope, limit);
  return b.scope === 'all' ? t('Monthly budget of {0}', limit) : t('Monthly budget for {0} of {1}', scope, limit);
}

function alertText(description: string, spent: Micros, threshold: number): string {
  return t('{0}: {1} spent ({2} % reached).', description, formatUsd(spent), Math.round(threshold * 100));
}

function actionText(a: Exclude<BudgetAction, 'notify'>): string {
  return a === 'stopStoppable' ? t('stopping instances that can stop') : t('stopping instances that can stop and terminating the rest');
}
