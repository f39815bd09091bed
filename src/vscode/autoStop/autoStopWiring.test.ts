import { describe, expect, it } from 'vitest';
import { evaluateBudgets } from '../../core/cost/budgets';
import type { CostSummary } from '../../core/cost/counters';
import { reduceIdle, initialIdleState } from '../../core/idle/idleReducer';
import type { TelemetryView } from '../../core/services/telemetry/hostTelemetry';
import { budgetSettingsFrom, inBudgetScope } from '../cost/budgetSettings';
import { autoStopEnabled, budgetOnlyPolicy, policyFromSettings, type AutoStopSettings } from './autoStopSettings';
import { TelemetryFeed } from './telemetryFeed';

const base: AutoStopSettings = {
  enabled: false,
  enabledFor: {},
  gpuThresholdPercent: 5,
  idleMinutes: 30,
  personMinutes: 15,
  warningMinutes: 10,
  keepMinutes: 30,
  maxRuntimeHours: 0,
  terminateAllowed: {},
  sshStopCommands: {},
};

describe('auto-stop settings', () => {
  it('the most specific switch wins: instance over provider over the global opt-in', () => {
    const s = { ...base, enabled: true, enabledFor: { runpod: false, 'runpod:keep-me': true, 'ssh:lab': false } };
    expect(autoStopEnabled(s, 'runpod:other')).toBe(false);
    expect(autoStopEnabled(s, 'runpod:keep-me')).toBe(true);
    expect(autoStopEnabled(s, 'vast:1')).toBe(true);
    expect(autoStopEnabled(s, 'ssh:lab')).toBe(false);
    expect(autoStopEnabled({ ...base, enabledFor: { vast: true } }, 'lambda:1')).toBe(false);
    // By the name in the tree as well as by id; the id wins when both are set.
    expect(autoStopEnabled({ ...base, enabledFor: { 'ssh:lab-box': true } }, 'ssh:sshConfig:lab-box', 'lab-box')).toBe(true);
    expect(autoStopEnabled({ ...base, enabledFor: { 'runpod:trainer': true, 'runpod:p1': false } }, 'runpod:p1', 'trainer')).toBe(false);
  });

  it('a short window (fractions of a minute) shrinks the GPU bucket; numbers the rule cannot use fall back to the defaults', () => {
    const short = policyFromSettings({ ...base, idleMinutes: 0.5, personMinutes: 0.25, warningMinutes: 0.2, keepMinutes: 0.2, maxRuntimeHours: 2 });
    expect(short.problems).toEqual([]);
    expect(short.policy).toMatchObject({ idleWindowMs: 30_000, bucketMs: 6000, warnAheadMs: 12_000, personWindowMs: 15_000, keepMs: 12_000, maxRuntimeMs: 7_200_000 });
    const bad = policyFromSettings({ ...base, idleMinutes: 10, warningMinutes: 20 });
    expect(bad.problems.join()).toMatch(/warnAheadMs/);
    expect(bad.policy.idleWindowMs).toBe(30 * 60_000);
  });

  it('a budget-only policy never stops for idleness but does stop for the budget, after the warning', () => {
    const p = budgetOnlyPolicy(policyFromSettings(base).policy);
    const T0 = Date.UTC(2026, 10, 23);
    let s = initialIdleState(T0);
    const kinds: string[] = [];
    for (let t = T0; t < T0 + 5 * 3_600_000; t += 60_000) {
      const step = reduceIdle(s, { kind: 'gpuSample', utilisationPercent: [0] }, p, t);
      s = step.state;
      kinds.push(...step.effects.map((e) => e.kind));
    }
    expect(kinds).toEqual([]);
    const exceeded = reduceIdle(s, { kind: 'budgetExceeded', detail: 'Daily budget of $10.00' }, p, T0 + 5 * 3_600_000);
    expect(exceeded.effects.map((e) => `${e.kind}`)).toEqual(['warn']);
    const later = reduceIdle(exceeded.state, { kind: 'tick' }, p, T0 + 5 * 3_600_000 + 10 * 60_000);
    expect(later.effects.map((e) => (e.kind === 'stop' ? `stop ${e.reason}` : e.kind))).toEqual(['stop budget']);
  });
});

describe('budget settings', () => {
  it('dollars become micro-dollar budgets, zero or nonsense is no budget, thresholds in percent', () => {
    const s = budgetSettingsFrom({ dailyUsd: 10, monthlyUsd: 0, perProvider: { runpod: { monthlyUsd: 200.5 }, vast: 'x' }, thresholdsPercent: [50, 100, -3], action: 'stopStoppable' });
    expect(s.budgets).toEqual([
      { scope: 'all', period: 'daily', limitMicros: 10_000_000 },
      { scope: 'runpod', period: 'monthly', limitMicros: 200_500_000 },
    ]);
    expect(s.thresholds).toEqual([0.5, 1]);
    expect(s.action).toBe('stopStoppable');
    expect(budgetSettingsFrom({ action: 'explode', thresholdsPercent: 'no' })).toEqual({ budgets: [], thresholds: [0.8, 1], action: 'notify' });
  });

  it('alerts once per threshold and period with the settings as read; scope matches ledger keys', () => {
    const settings = budgetSettingsFrom({ dailyUsd: 10, action: 'stopAllTerminateRest' });
    const now = Date.UTC(2026, 10, 23, 12);
    const summary = (today: number): CostSummary => ({ burnMicrosPerHour: 0, todayMicros: today, monthMicros: today, projectedMonthMicros: today, instances: [], byProvider: new Map() });
    const first = evaluateBudgets(summary(8_500_000), settings, { fired: [] }, now, 0);
    expect(first.effects.map((e) => e.kind)).toEqual(['alert']);
    const again = evaluateBudgets(summary(9_000_000), settings, first.state, now, 0);
    expect(again.effects).toEqual([]);
    const full = evaluateBudgets(summary(10_000_000), settings, again.state, now, 0);
    expect(full.effects.map((e) => e.kind)).toEqual(['alert', 'enforce']);
    expect(inBudgetScope('all', 'ssh:lab')).toBe(true);
    expect(inBudgetScope('runpod', 'runpod:p1')).toBe(true);
    expect(inBudgetScope('run', 'runpod:p1')).toBe(false);
  });
});

describe('TelemetryFeed', () => {
  const gpu = (index: number, t: number, util: number | undefined) => ({ t, index, uuid: `GPU-${index}`, name: 'H100', pstate: 'P0', metrics: { utilizationGpu: util } });
  const view = (phase: string, gpus: ReturnType<typeof gpu>[]): TelemetryView =>
    ({ state: { phase }, gpus, intervalMs: 1000, connection: {}, processes: {} }) as unknown as TelemetryView;

  it('passes a live tick once every GPU reported in it; a stale stream is "cannot measure"', () => {
    const feed = new TelemetryFeed();
    expect(feed.next(view('live', [gpu(0, 1000, 97), gpu(1, 1003, 0)]), 1000)).toEqual({ kind: 'gpuSample', utilisationPercent: [97, 0] });
    expect(feed.next(view('live', [gpu(0, 1000, 97), gpu(1, 1003, 0)]), 1200)).toBeUndefined();
    // GPU 0's next row is in, GPU 1's is not yet: wait for it.
    expect(feed.next(view('live', [gpu(0, 2000, 3), gpu(1, 1003, 0)]), 2000)).toBeUndefined();
    expect(feed.next(view('live', [gpu(0, 2000, 3), gpu(1, 2002, 1)]), 2000)).toEqual({ kind: 'gpuSample', utilisationPercent: [3, 1] });
    expect(feed.next(view('live', [gpu(0, 3000, undefined), gpu(1, 3000, 1)]), 3000)).toMatchObject({ kind: 'gpuUnavailable' });
    expect(feed.next(view('stale', [gpu(0, 3000, 3)]), 5000)).toEqual({ kind: 'gpuUnavailable', why: 'telemetry is stale' });
    expect(feed.next(view('stale', [gpu(0, 3000, 3)]), 5500)).toBeUndefined();
    expect(feed.next(view('connecting', []), 9000)).toBeUndefined();
    // A first connect that failed and waits to retry (nvidia-smi missing) cannot measure either: busy, not silent.
    const waiting = { ...view('connecting', []), state: { phase: 'connecting', retryAt: 70_000 } } as unknown as TelemetryView;
    expect(feed.next(waiting, 10_000)).toEqual({ kind: 'gpuUnavailable', why: 'telemetry is connecting' });
  });
});
