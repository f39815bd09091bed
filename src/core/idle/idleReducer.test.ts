import { describe, expect, it } from 'vitest';
import { describeEffect } from './audit';
import { initialIdleState, reduceIdle } from './idleReducer';
import type { IdleEffect, IdleObservation, IdleState, IdleVerdict } from './idleTypes';
import { DEFAULT_IDLE_POLICY, validateIdlePolicy } from './policy';
import type { IdlePolicy } from './policy';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

/** A virtual clock and the reducer, with every effect recorded in order (the audit trail). */
class Sim {
  state: IdleState;
  now: number;
  readonly effects: IdleEffect[] = [];
  verdict!: IdleVerdict;
  constructor(readonly policy: IdlePolicy = DEFAULT_IDLE_POLICY, start = T0) {
    this.now = start;
    this.state = initialIdleState(start);
  }
  send(obs: IdleObservation): IdleEffect[] {
    const step = reduceIdle(this.state, obs, this.policy, this.now);
    this.state = step.state;
    this.verdict = step.verdict;
    this.effects.push(...step.effects);
    return [...step.effects];
  }
  /** GPU samples every `everyMs` until `untilMs` after start, utilisation from `util(t)`. */
  samples(untilMs: number, util: (t: number) => number[], everyMs = 10_000): void {
    const end = T0 + untilMs;
    while (this.now + everyMs <= end) {
      this.now += everyMs;
      this.send({ kind: 'gpuSample', utilisationPercent: util(this.now - T0) });
    }
  }
  kinds(): string[] {
    return this.effects.map((e) => `${e.kind}@${(e.at - T0) / MIN}`);
  }
  first(kind: IdleEffect['kind']): IdleEffect | undefined {
    return this.effects.find((e) => e.kind === kind);
  }
}

const quiet = () => [0, 0];

describe('idle policy: GPU signal', () => {
  it('warns 10 min ahead and stops once after 30 quiet minutes, whatever comes after', () => {
    const sim = new Sim();
    sim.samples(60 * MIN, quiet);
    const warn = sim.first('warn');
    const stop = sim.first('stop');
    // The first bucket is judged when it closes; quiet counts from its start (9:00), so 20 and 30 min.
    expect(warn && (warn.at - T0) / MIN).toBe(20);
    expect(warn?.kind === 'warn' && warn.stopAt - T0).toBe(30 * MIN);
    expect(stop && (stop.at - T0) / MIN).toBe(30);
    expect(sim.effects.filter((e) => e.kind === 'stop')).toHaveLength(1);
    expect(sim.verdict.status).toBe('stopped');
  });

  it('counts all GPUs: one busy GPU keeps the host busy', () => {
    const sim = new Sim();
    sim.samples(90 * MIN, () => [0, 97]);
    expect(sim.effects).toEqual([]);
    expect(sim.verdict.signals.gpu.state).toBe('busy');
  });

  it('checkpoint dips inside a busy run do not open an idle window', () => {
    const sim = new Sim();
    // Every sixth sample of a 100 % run is a 0 % dip; sampled every 10 s that is one dip a minute.
    sim.samples(120 * MIN, (t) => (t % 60_000 === 0 ? [0] : [100]));
    expect(sim.effects).toEqual([]);
    expect(sim.verdict.status).toBe('busy');
  });

  it('one stray spike inside a quiet minute does not reset the window', () => {
    const sim = new Sim();
    // Sampled each second, one 100 % sample every minute: 1/60 of ticks, under the 10 % busy share.
    sim.samples(40 * MIN, (t) => (t % 60_000 === 1000 ? [100] : [0]), 1000);
    expect(sim.first('stop')).toBeDefined();
  });

  it('a whole quiet bucket followed by work resets the count', () => {
    const sim = new Sim();
    sim.samples(25 * MIN, quiet);
    expect(sim.first('warn')).toBeDefined();
    sim.samples(26 * MIN - 1, () => [80]);
    sim.samples(27 * MIN, quiet);
    expect(sim.kinds()).toEqual(['warn@20', 'cancelWarning@26']);
    sim.samples(45 * MIN, quiet);
    expect(sim.first('stop')).toBeUndefined();
    sim.samples(80 * MIN, quiet);
    expect(sim.first('stop')?.at).toBe(T0 + 56 * MIN);
  });

  it('cannot measure counts as busy: failing nvidia-smi and silent gaps never stop the box', () => {
    const sim = new Sim();
    for (let m = 1; m <= 120; m++) {
      sim.now = T0 + m * MIN;
      sim.send({ kind: 'gpuUnavailable', why: 'nvidia-smi exited 9' });
    }
    expect(sim.effects).toEqual([]);
    expect(sim.verdict.signals.gpu.state).toBe('unmeasured');
    expect(sim.verdict.explanation).toContain('could not be measured');

    const gap = new Sim();
    gap.samples(10 * MIN, quiet);
    gap.now += 5 * 60 * MIN; // telemetry stopped for five hours
    gap.send({ kind: 'tick' });
    gap.samples(5 * 60 * MIN + 15 * MIN, quiet);
    expect(gap.effects).toEqual([]);
  });

  it('a sample without GPUs is not a quiet sample', () => {
    const sim = new Sim();
    sim.samples(60 * MIN, () => []);
    expect(sim.effects).toEqual([]);
  });
});

describe('idle policy: person and progress', () => {
  it('activity keeps the box for the shorter person window, counted from the last activity', () => {
    const sim = new Sim();
    sim.samples(40 * MIN, quiet);
    expect(sim.first('stop')).toBeDefined();
    const p = new Sim();
    p.samples(25 * MIN, quiet);
    p.send({ kind: 'activity', source: 'terminalInput' });
    expect(p.kinds()).toEqual(['warn@20', 'cancelWarning@25']);
    // The source in words, never the data value ('terminalInput') inside a sentence.
    expect(p.effects[1]?.kind === 'cancelWarning' && p.effects[1].explanation).toContain('(typing in a terminal)');
    p.samples(60 * MIN, quiet);
    // Person window 15 min from 9:25: due 9:40, warned at 9:30.
    expect(p.kinds().slice(2)).toEqual(['warn@30', 'stop@40']);
  });

  it('an open window alone is not activity', () => {
    const sim = new Sim();
    sim.send({ kind: 'windowOpen', open: true });
    sim.samples(29 * MIN, quiet);
    expect(sim.verdict.signals.person.state).toBe('quiet');
    expect(sim.verdict.signals.person.text).toContain('a window is open, but nobody uses it');
    sim.samples(31 * MIN, quiet);
    expect(sim.first('stop')?.at).toBe(T0 + 30 * MIN);
  });

  it('a new checkpoint or a growing log counts as work for the full window', () => {
    const sim = new Sim();
    sim.samples(15 * MIN, quiet);
    sim.send({ kind: 'progress', what: 'checkpoint', path: 'ckpt/epoch=3-step=900.ckpt' });
    sim.samples(34 * MIN, quiet);
    expect(sim.first('warn')).toBeUndefined();
    expect(sim.verdict.signals.progress).toMatchObject({ state: 'busy' });
    expect(sim.verdict.explanation).toContain('new checkpoint');
    sim.samples(50 * MIN, quiet);
    expect(sim.kinds()).toEqual(['warn@35', 'stop@45']);
  });

  it('each verdict says which signal went quiet and since when', () => {
    const sim = new Sim();
    sim.samples(5 * MIN - 1, () => [90]);
    sim.samples(17 * MIN, quiet);
    expect(sim.verdict.status).toBe('idle');
    expect(sim.verdict.signals.gpu).toMatchObject({ state: 'quiet', since: T0 + 5 * MIN });
    expect(sim.verdict.idleForMs).toBe(12 * MIN);
    expect(sim.verdict.explanation).toContain('Idle 12 min of 30 min');
    expect(sim.verdict.explanation).toContain('GPUs under 5 % for 12 min');
  });
});

describe('idle policy: the warning and its buttons', () => {
  it('Keep 30 min holds off, then a fresh full countdown', () => {
    const sim = new Sim();
    sim.samples(21 * MIN, quiet);
    sim.send({ kind: 'keep', until: 'keepWindow' });
    sim.samples(70 * MIN, quiet);
    expect(sim.kinds()).toEqual(['warn@20', 'kept@21', 'keepEnded@51', 'warn@51', 'stop@61']);
  });

  it('Keep until I say holds until released; Stop now stops at once and only once', () => {
    const sim = new Sim();
    sim.samples(21 * MIN, quiet);
    sim.send({ kind: 'keep', until: 'untilISay' });
    sim.samples(300 * MIN, quiet);
    expect(sim.verdict.status).toBe('kept');
    sim.send({ kind: 'release' });
    sim.send({ kind: 'stopNow' });
    sim.send({ kind: 'stopNow' });
    sim.samples(400 * MIN, quiet);
    expect(sim.kinds()).toEqual(['warn@20', 'kept@21', 'keepEnded@300', 'warn@300', 'stop@300']);
    expect(sim.effects.at(-1)).toMatchObject({ kind: 'stop', reason: 'user' });
  });

  it('re-arms only when the instance is seen running again', () => {
    const sim = new Sim();
    sim.samples(31 * MIN, quiet);
    sim.send({ kind: 'running' });
    sim.samples(70 * MIN, quiet);
    expect(sim.kinds()).toEqual(['warn@20', 'stop@30', 'warn@51', 'stop@61']);
  });

  it('maximum runtime and budget take the same warning path, even on a busy box', () => {
    const sim = new Sim({ ...DEFAULT_IDLE_POLICY, maxRuntimeMs: 120 * MIN });
    sim.send({ kind: 'launched', at: T0 - 60 * MIN });
    sim.samples(80 * MIN, () => [100]);
    expect(sim.kinds()).toEqual(['warn@50', 'stop@60']);
    expect(sim.effects[1]).toMatchObject({ reason: 'maxRuntime' });

    const b = new Sim();
    b.samples(5 * MIN, () => [100]);
    b.send({ kind: 'budgetExceeded', detail: 'daily budget $50.00 spent' });
    b.samples(30 * MIN, () => [100]);
    expect(b.kinds()).toEqual(['warn@5', 'stop@15']);
    expect(b.effects[0]).toMatchObject({ reason: 'budget' });
    expect(describeEffect(b.effects[0] as IdleEffect)).toContain('daily budget $50.00 spent');
  });

  it('resumes from stored state after a restart without losing the count or stopping twice', () => {
    const sim = new Sim();
    sim.samples(25 * MIN, quiet);
    const stored = JSON.parse(JSON.stringify(sim.state)) as IdleState;
    const resumed = new Sim();
    resumed.state = stored;
    resumed.now = sim.now;
    resumed.samples(35 * MIN, quiet);
    expect(resumed.kinds()).toEqual(['stop@30']);
    const afterStop = JSON.parse(JSON.stringify(resumed.state)) as IdleState;
    expect(reduceIdle(afterStop, { kind: 'tick' }, DEFAULT_IDLE_POLICY, T0 + 90 * MIN).effects).toEqual([]);
  });

  it('policy validation refuses a warning that comes after the stop', () => {
    expect(validateIdlePolicy(DEFAULT_IDLE_POLICY)).toEqual([]);
    expect(validateIdlePolicy({ ...DEFAULT_IDLE_POLICY, warnAheadMs: 40 * MIN })).toContain('warnAheadMs must be under idleWindowMs');
  });
});
