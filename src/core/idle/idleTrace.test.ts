import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { initialIdleState, reduceIdle } from './idleReducer';
import type { IdleEffect, IdleState } from './idleTypes';
import { bucketMsFor, type IdlePolicy } from './policy';

/** The real H100 trace (0.5 s rows): utilisation and memory used per row, as offsets in ms from the first row. */
function trace(): { t: number; util: number; memMiB: number }[] {
  const rows = readFileSync('test/fixtures/nvidia-smi/h100-driver580/trace-gpu.csv', 'utf8').trim().split('\n').slice(1);
  const parsed = rows.map((line) => {
    const c = line.split(', ');
    return { at: Date.parse(`${(c[0] ?? '').replace(/\//g, '-').replace(' ', 'T')}Z`), util: parseFloat(c[7] ?? ''), memMiB: parseFloat(c[10] ?? '') };
  });
  const start = parsed[0]?.at ?? 0;
  return parsed.map((r) => ({ t: r.at - start, util: r.util, memMiB: r.memMiB }));
}

// The window scaled down to the trace: 2 s buckets, idle after 12 s, warned 4 s ahead.
const SCALED: IdlePolicy = { gpuBusyPercent: 5, bucketMs: 2000, gpuBusyShare: 0.1, idleWindowMs: 12_000, personWindowMs: 6000, warnAheadMs: 4000, keepMs: 10_000 };
const EPOCH = Date.UTC(2026, 10, 22, 10, 5, 20);

describe('idle policy on the real H100 trace', () => {
  const rows = trace();

  it('has the phases the fixture README describes', () => {
    expect(rows.some((r) => r.t > 20_000 && r.t < 59_000 && r.util < 5)).toBe(true); // checkpoint dips
    expect(rows.filter((r) => r.t > 60_000 && r.t < 78_000).every((r) => r.util === 0 && r.memMiB > 3000)).toBe(true);
  });

  // The hand-picked 2 s buckets, and the ones the settings give a 12 s window (bucketMsFor: 2.4 s).
  it.each([2000, bucketMsFor(SCALED.idleWindowMs)])('training is busy through its dips; the 20 s with 3.7 GB held at 0 %% is idle and stopped (%i ms buckets)', (bucketMs) => {
    const policy: IdlePolicy = { ...SCALED, bucketMs };
    // Replayed from the moment the job's process appears (memory first used): before that nobody had started anything.
    const from = rows.findIndex((r) => r.memMiB > 0);
    let state: IdleState = initialIdleState(EPOCH + (rows[from]?.t ?? 0));
    const effects: { e: IdleEffect; row: { t: number; util: number; memMiB: number } }[] = [];
    const gpuDuringTraining: string[] = [];
    for (const row of rows.slice(from)) {
      const step = reduceIdle(state, { kind: 'gpuSample', utilisationPercent: [row.util] }, policy, EPOCH + row.t);
      state = step.state;
      effects.push(...step.effects.map((e) => ({ e, row })));
      if (row.t >= 23_000 && row.t <= 59_000) gpuDuringTraining.push(step.verdict.signals.gpu.state);
    }
    expect(gpuDuringTraining.length).toBeGreaterThan(60);
    expect(new Set(gpuDuringTraining)).toEqual(new Set(['busy']));
    expect(effects.map(({ e }) => e.kind)).toEqual(['warn', 'stop']);
    const [warn, stop] = effects;
    // Warned and stopped inside the memory-held idle phase (59-79 s), never during training.
    expect(warn?.row.t).toBeGreaterThanOrEqual(59_000 + SCALED.idleWindowMs - SCALED.warnAheadMs);
    expect(stop?.row.t).toBeGreaterThanOrEqual(59_000 + SCALED.idleWindowMs);
    expect(stop?.row.t).toBeLessThan(79_000);
    expect(stop?.row.memMiB).toBeGreaterThan(3000);
    expect(stop?.e.kind === 'stop' && stop.e.explanation).toMatch(/^Idle: GPUs under 5 % for 1\d s/);
  });
});
