import { describe, expect, it } from 'vitest';
import type { CostSummary } from '../../core/cost/counters';
import { costStatusSchema } from '../../shared/costStatus';
import { costStatusFor } from './costStatus';

const summary: CostSummary = {
  burnMicrosPerHour: 2_690_000,
  todayMicros: 5_380_000,
  monthMicros: 40_000_000,
  projectedMonthMicros: 1_500_000_000,
  instances: [{ key: 'runpod:p1', provider: 'runpod', name: 'trainer', totalMicros: 12_345_678, todayMicros: 5_380_000, burnMicrosPerHour: 2_690_000 }],
  byProvider: new Map(),
};

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
