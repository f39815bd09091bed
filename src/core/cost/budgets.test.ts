import { describe, expect, it } from 'vitest';
import { evaluateBudgets } from './budgets';
import type { BudgetSettings, BudgetState } from './budgets';
import type { CostSummary } from './counters';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const summary = (todayMicros: number, monthMicros: number, byProvider: [string, number, number][] = []): CostSummary => ({
  todayMicros, monthMicros, burnMicrosPerHour: 0, projectedMonthMicros: monthMicros, instances: [],
  byProvider: new Map(byProvider.map(([p, t, m]) => [p, { todayMicros: t, monthMicros: m }])),
});
const settings = (over: Partial<BudgetSettings> = {}): BudgetSettings => ({
  budgets: [{ period: 'daily', scope: 'all', limitMicros: 50_000_000 }], thresholds: [0.8, 1], action: 'notify', ...over,
});
const empty: BudgetState = { fired: [] };

describe('budgets', () => {
  it('alerts at 80 % and 100 % once each per period; notify only by default', () => {
    const a = evaluateBudgets(summary(39_000_000, 0), settings(), empty, NOW, 0);
    expect(a.effects).toEqual([]);
    const b = evaluateBudgets(summary(40_000_000, 0), settings(), a.state, NOW, 0);
    expect(b.effects.map((e) => e.kind === 'alert' && e.threshold)).toEqual([0.8]);
    expect(b.effects[0]?.kind === 'alert' && b.effects[0].message).toBe('Daily budget of $50.00: $40.00 spent (80 % reached).');
    const c = evaluateBudgets(summary(45_000_000, 0), settings(), b.state, NOW, 0);
    expect(c.effects).toEqual([]);
    const d = evaluateBudgets(summary(50_000_000, 0), settings(), c.state, NOW, 0);
    expect(d.effects.map((e) => e.kind)).toEqual(['alert']);
    expect(d.exceededScopes).toEqual(['all']);
    expect(evaluateBudgets(summary(60_000_000, 0), settings(), d.state, NOW + 60_000, 0).effects).toEqual([]);
    // Next day: the alerts are armed again and the old ones forgotten.
    const next = evaluateBudgets(summary(1_000_000, 0), settings(), d.state, NOW + 86_400_000, 0);
    expect(next.state.fired).toEqual([]);
    expect(next.exceededScopes).toEqual([]);
  });

  it('a jump past both thresholds is one alert, with the action at 100 %', () => {
    const v = evaluateBudgets(summary(0, 900_000_000, [['runpod', 0, 510_000_000]]), settings({
      budgets: [{ period: 'monthly', scope: 'runpod', limitMicros: 500_000_000 }, { period: 'monthly', scope: 'all', limitMicros: 2_000_000_000 }],
      action: 'stopStoppable',
    }), empty, NOW, 0);
    expect(v.effects.map((e) => e.kind)).toEqual(['alert', 'enforce']);
    expect(v.effects[1]).toMatchObject({ kind: 'enforce', action: 'stopStoppable', scope: 'runpod' });
    expect(v.exceededScopes).toEqual(['runpod']);
  });

  it('names a provider by its display name, SSH hosts in words, and an unknown key as typed, in the alert and the action', () => {
    const names = (id: string) => ({ runpod: 'RunPod', vast: 'Vast.ai' })[id];
    const spent: [string, number, number][] = [['runpod', 20_000_000, 0], ['ssh', 20_000_000, 0], ['mycloud', 20_000_000, 0]];
    const budgets = ['runpod', 'ssh', 'mycloud'].map((scope) => ({ period: 'daily' as const, scope, limitMicros: 10_000_000 }));
    const v = evaluateBudgets(summary(60_000_000, 0, spent), settings({ budgets, action: 'stopStoppable' }), empty, NOW, 0, names);
    expect(v.effects.map((e) => e.message)).toEqual([
      'Daily budget for RunPod of $10.00: $20.00 spent (100 % reached).',
      'Daily budget for RunPod of $10.00 reached: stopping instances that can stop.',
      'Daily budget for SSH hosts of $10.00: $20.00 spent (100 % reached).',
      'Daily budget for SSH hosts of $10.00 reached: stopping instances that can stop.',
      'Daily budget for mycloud of $10.00: $20.00 spent (100 % reached).',
      'Daily budget for mycloud of $10.00 reached: stopping instances that can stop.',
    ]);
    // The scope the enforcement acts on stays the key that matches the ledger.
    expect(v.effects.filter((e) => e.kind === 'enforce').map((e) => e.scope)).toEqual(['runpod', 'ssh', 'mycloud']);
  });

  it('a zero or missing limit is no budget', () => {
    expect(evaluateBudgets(summary(5, 5), settings({ budgets: [{ period: 'daily', scope: 'all', limitMicros: 0 }] }), empty, NOW, 0).effects).toEqual([]);
  });
});
