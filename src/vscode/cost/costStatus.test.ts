import { describe, expect, it } from 'vitest';
import type { CostSummary } from '../../core/cost/counters';
import { costStatusSchema } from '../../shared/costStatus';
import { budgetSettingsFrom } from './budgetSettings';
import { budgetRowsFor, costStatusFor, type BudgetView } from './costStatus';

const summary: CostSummary = {
  burnMicrosPerHour: 2_690_000,
  todayMicros: 5_380_000,
  monthMicros: 40_000_000,
  projectedMonthMicros: 1_500_000_000,
  instances: [{ key: 'runpod:p1', provider: 'runpod', name: 'trainer', totalMicros: 12_345_678, todayMicros: 5_380_000, burnMicrosPerHour: 2_690_000 }],
  byProvider: new Map([
    ['runpod', { todayMicros: 5_380_000, monthMicros: 40_000_000 }],
    ['ssh', { todayMicros: 0, monthMicros: 49 }],
  ]),
};

const names: BudgetView['scopeName'] = (scope) => (scope === 'runpod' ? 'RunPod' : scope === 'ssh' ? 'SSH hosts' : scope);
const view = (raw: Parameters<typeof budgetSettingsFrom>[0]): BudgetView => ({ settings: budgetSettingsFrom(raw), scopeName: names });

describe('the dashboard cost section', () => {
  it('carries this machine, today, month and projection, the verdict and the newest audit lines first, and passes the schema', () => {
    const audit = Array.from({ length: 25 }, (_, i) => `line ${i}`);
    const verdict = { status: 'idle' as const, idleForMs: 0, windowMs: 1, signals: {} as never, explanation: 'Idle 12 min of 30 min.' };
    const s = costStatusFor(summary, 'runpod:p1', verdict, audit);
    expect(costStatusSchema.parse(s)).toEqual(s);
    expect(s).toMatchObject({ machineMicros: 12_345_678, todayMicros: 5_380_000, projectedMonthMicros: 1_500_000_000, autoStop: { status: 'idle' } });
    expect(s?.audit).toHaveLength(20);
    expect(s?.audit[0]).toBe('line 24');
  });

  it('a machine without ledger lines (a free host) shows only the totals; nothing before the first cost round', () => {
    const s = costStatusFor(summary, 'ssh:free', undefined, []);
    expect(s).not.toHaveProperty('machineMicros');
    expect(s).not.toHaveProperty('autoStop');
    expect(costStatusFor(undefined, 'runpod:p1', undefined, [])).toBeUndefined();
  });
});

describe('the dashboard budget rows', () => {
  it("lists the global budgets, then this machine's provider's, with the period's spending and the highest threshold reached", () => {
    const budgets = view({ dailyUsd: 50, monthlyUsd: 45, perProvider: { runpod: { dailyUsd: 5, monthlyUsd: 1000 }, lambda: { dailyUsd: 1 } } });
    expect(budgetRowsFor(summary, 'runpod:p1', budgets)).toEqual([
      { period: 'daily', spentMicros: 5_380_000, limitMicros: 50_000_000 },
      { period: 'monthly', spentMicros: 40_000_000, limitMicros: 45_000_000, reachedPercent: 80 },
      { period: 'daily', scope: 'RunPod', spentMicros: 5_380_000, limitMicros: 5_000_000, reachedPercent: 100 },
      { period: 'monthly', scope: 'RunPod', spentMicros: 40_000_000, limitMicros: 1_000_000_000 },
    ]);
    const s = costStatusFor(summary, 'runpod:p1', undefined, [], budgets);
    expect(costStatusSchema.parse(s)).toEqual(s);
    expect(s?.budgets).toHaveLength(4);
  });

  it("takes the thresholds from the settings; another provider's budget or none leaves the rows out", () => {
    const budgets = view({ monthlyUsd: 45, thresholdsPercent: [50, 90, 100], perProvider: { lambda: { dailyUsd: 1 } } });
    expect(budgetRowsFor(summary, 'runpod:p1', budgets)).toEqual([{ period: 'monthly', spentMicros: 40_000_000, limitMicros: 45_000_000, reachedPercent: 50 }]);
    expect(costStatusFor(summary, 'runpod:p1', undefined, [], view({ perProvider: { lambda: { dailyUsd: 1 } } }))).not.toHaveProperty('budgets');
    expect(costStatusFor(summary, 'runpod:p1', undefined, [])).not.toHaveProperty('budgets');
  });

  it('an SSH host falls under the `ssh` scope, named in words, with a provider that has spent nothing yet at zero', () => {
    const budgets = view({ perProvider: { ssh: { monthlyUsd: 2 }, runpod: { dailyUsd: 5 } } });
    expect(budgetRowsFor(summary, 'ssh:box', budgets)).toEqual([{ period: 'monthly', scope: 'SSH hosts', spentMicros: 49, limitMicros: 2_000_000 }]);
    const empty = { ...summary, byProvider: new Map() };
    expect(budgetRowsFor(empty, 'runpod:p1', budgets)).toEqual([{ period: 'daily', scope: 'RunPod', spentMicros: 0, limitMicros: 5_000_000 }]);
  });

  it('the schema refuses a budget row without a limit or with an unbounded scope', () => {
    const base = costStatusFor(summary, 'runpod:p1', undefined, []);
    expect(costStatusSchema.safeParse({ ...base, budgets: [{ period: 'daily', spentMicros: 1, limitMicros: 0 }] }).success).toBe(false);
    expect(costStatusSchema.safeParse({ ...base, budgets: [{ period: 'daily', scope: 'x'.repeat(101), spentMicros: 1, limitMicros: 1 }] }).success).toBe(false);
    expect(costStatusSchema.safeParse({ ...base, budgets: [{ period: 'weekly', spentMicros: 1, limitMicros: 1 }] }).success).toBe(false);
  });
});
