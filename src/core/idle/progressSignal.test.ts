import { describe, expect, it } from 'vitest';
import { initialIdleState, reduceIdle } from './idleReducer';
import type { IdleEffect, IdleObservation, IdleState, IdleStep } from './idleTypes';
import { DEFAULT_IDLE_POLICY } from './policy';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 14, 0, 0);

/** Quiet GPUs sampled every 10 s, with a log that grows once a minute until `growUntilMin`. */
function run(growUntilMin: number, endMin: number): { effects: IdleEffect[]; steps: Map<number, IdleStep> } {
  let state: IdleState = initialIdleState(T0);
  const effects: IdleEffect[] = [];
  const steps = new Map<number, IdleStep>();
  const send = (obs: IdleObservation, now: number): void => {
    const step = reduceIdle(state, obs, DEFAULT_IDLE_POLICY, now);
    state = step.state;
    effects.push(...step.effects);
    if ((now - T0) % MIN === 0) steps.set((now - T0) / MIN, step);
  };
  for (let t = 10_000; t <= endMin * MIN; t += 10_000) {
    if (t % MIN === 0 && t / MIN <= growUntilMin) send({ kind: 'progress', what: 'logGrew', path: 'train.log', bytes: 12_288 }, T0 + t - 1);
    send({ kind: 'gpuSample', utilisationPercent: [0] }, T0 + t);
  }
  return { effects, steps };
}

describe('idle policy: a growing log file (CPU-bound phase, GPUs at 0 %)', () => {
  it('keeps the machine busy while it grows, and the verdict names the log', () => {
    const { effects, steps } = run(90, 90);
    expect(effects).toEqual([]);
    const verdict = steps.get(45)?.verdict;
    expect(verdict?.status).toBe('busy');
    expect(verdict?.signals.progress).toMatchObject({ state: 'busy' });
    expect(verdict?.explanation).toContain('train.log grew by 12.0 KiB, 0 s ago');
  });

  it('stops counting when it stops growing: warned 20 min and stopped 30 min after its last growth', () => {
    const { effects, steps } = run(40, 90);
    expect(effects.map((e) => `${e.kind}@${Math.round((e.at - T0) / MIN)}`)).toEqual(['warn@60', 'stop@70']);
    expect(steps.get(43)?.verdict.explanation).toContain('train.log grew by 12.0 KiB, 3 min ago');
    expect(steps.get(70)?.verdict.signals.progress).toMatchObject({ state: 'quiet' });
    expect(steps.get(70)?.verdict.signals.progress.text).toContain('no new checkpoint or log output');
  });
});
