import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { initialIdleState, reduceIdle } from './idleReducer';
import type { IdleEffect, IdleObservation, IdleState, IdleVerdict } from './idleTypes';
import { bucketMsFor, DEFAULT_IDLE_POLICY, validateIdlePolicy, type IdlePolicy } from './policy';

const S = 1000;
const MIN = 60 * S;
// Aligned to every bucket size used here, so "quiet since" is the arming time.
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

/**
 * The numbers the code-server suite sets (idleMinutes 0.25, personMinutes 0.05, warningMinutes 0.1, keepMinutes 0.2):
 * a 15 s window judged in 3 s buckets.
 */
const SHORT: IdlePolicy = {
  ...DEFAULT_IDLE_POLICY,
  bucketMs: bucketMsFor(15 * S),
  idleWindowMs: 15 * S,
  personWindowMs: 3 * S,
  warnAheadMs: 6 * S,
  keepMs: 12 * S,
};

/** The reducer on a virtual clock, fed the way the rig's 20x stream feeds it: a sample every 50 ms. */
class Run {
  state: IdleState = initialIdleState(T0);
  now = T0;
  verdict!: IdleVerdict;
  readonly effects: IdleEffect[] = [];
  constructor(readonly policy: IdlePolicy) {}
  send(obs: IdleObservation): void {
    const step = reduceIdle(this.state, obs, this.policy, this.now);
    this.state = step.state;
    this.verdict = step.verdict;
    this.effects.push(...step.effects);
  }
  stream(untilMs: number, util: (t: number) => number, everyMs = 50): void {
    while (this.now + everyMs <= T0 + untilMs) {
      this.now += everyMs;
      this.send({ kind: 'gpuSample', utilisationPercent: [util(this.now - T0), util(this.now - T0)] });
    }
  }
  kinds(): string[] {
    return this.effects.map((e) => `${e.kind}@${(e.at - T0) / S}`);
  }
}

describe('idle policy: short windows', () => {
  it('a window under five minutes is judged in fifths of it, never under a second; long windows keep one-minute buckets', () => {
    expect(bucketMsFor(30 * MIN)).toBe(MIN);
    expect(bucketMsFor(5 * MIN)).toBe(MIN);
    expect(bucketMsFor(2 * MIN)).toBe(24 * S);
    expect(bucketMsFor(15 * S)).toBe(3 * S);
    expect(bucketMsFor(3 * S)).toBe(S);
    expect(validateIdlePolicy(SHORT)).toEqual([]);
    // A window shorter than the smallest bucket cannot be judged at all.
    expect(validateIdlePolicy({ ...SHORT, idleWindowMs: 600, bucketMs: bucketMsFor(600), warnAheadMs: 0 })).toContain('idleWindowMs must be at least one bucket');
  });

  it('quiet GPUs on a 15 s window: warned 6 s ahead with the GPU signal in words, kept 12 s, warned afresh, stopped on request once', () => {
    const run = new Run(SHORT);
    run.stream(9 * S, () => 0);
    // The first bucket closes at 3 s; quiet counts from its start, so the stop is due at 15 s and warned at 9 s.
    expect(run.kinds()).toEqual(['warn@9']);
    const warn = run.effects[0];
    expect(warn?.kind === 'warn' && warn.stopAt).toBe(T0 + 15 * S);
    expect(warn?.kind === 'warn' && warn.explanation).toBe('Idle: GPUs under 5 % for 9 s; no activity in VS Code for 9 s; no new checkpoint or log output for 9 s.');
    expect(run.verdict.signals.gpu).toMatchObject({ state: 'quiet', since: T0 });

    run.send({ kind: 'keep', until: 'keepWindow' });
    run.stream(20 * S, () => 0);
    expect(run.verdict.status).toBe('kept');
    run.stream(22 * S, () => 0);
    // The keep ends at 21 s: the stop was due long ago, yet the new countdown is the full 6 s.
    expect(run.kinds()).toEqual(['warn@9', 'kept@9', 'keepEnded@21', 'warn@21']);
    expect(run.effects.at(-1)).toMatchObject({ kind: 'warn', stopAt: T0 + 27 * S });
    run.send({ kind: 'stopNow' });
    run.stream(60 * S, () => 0);
    expect(run.kinds().slice(4)).toEqual(['stop@22']);
    expect(run.effects.at(-1)).toMatchObject({ kind: 'stop', reason: 'user' });
  });

  it('checkpoint-like dips in a busy stream leave every 3 s bucket busy', () => {
    const run = new Run(SHORT);
    // One 0 % sample in every twenty (a dip each second at 20 samples a second), 100 % otherwise.
    run.stream(5 * MIN, (t) => (t % S === 0 ? 0 : 100));
    expect(run.effects).toEqual([]);
    expect(run.verdict.signals.gpu.state).toBe('busy');
  });

  it('one busy bucket inside a quiet stretch restarts the count; a stray busy sample does not', () => {
    const run = new Run(SHORT);
    run.stream(9 * S, () => 0);
    // A short job: 3 s of work (one whole bucket) withdraws the warning and restarts the window after it.
    run.stream(12 * S, () => 90);
    run.stream(14 * S, () => 0);
    expect(run.kinds()).toEqual(['warn@9', 'cancelWarning@12']);
    run.stream(40 * S, (t) => (t === 20 * S ? 100 : 0));
    // Quiet again from the bucket at 12 s: due 27 s, warned 21 s (the spike at 20 s is 1 of 60 ticks in its bucket).
    expect(run.kinds().slice(2)).toEqual(['warn@21', 'stop@27']);
  });

  it('the real trace looped at 20x (what the rig streams) is never idle on a 15 s window: its quiet 20 s last 1 s there', () => {
    const rows = readFileSync('test/fixtures/nvidia-smi/h100-driver580/trace-gpu.csv', 'utf8').trim().split('\n').slice(1);
    const stamp = (line: string) => Date.parse(`${line.slice(0, 10).replace(/\//g, '-')}T${line.slice(11, 23)}Z`);
    const origin = stamp(rows[0] ?? '');
    const trace = rows.map((line) => ({ t: stamp(line) - origin, util: parseFloat(line.split(', ')[7] ?? '') }));
    const loopMs = (trace.at(-1)?.t ?? 0) + 500;
    const at = (t: number) => [...trace].reverse().find((r) => r.t <= ((t * 20) % loopMs))?.util ?? 0;
    const run = new Run(SHORT);
    run.stream(2 * MIN, at);
    expect(run.effects).toEqual([]);
    expect(run.verdict.signals.gpu.state).toBe('busy');
  });
});
