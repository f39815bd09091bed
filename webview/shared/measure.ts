/** Timing statistics of repeated runs, in milliseconds. */
export interface Timing {
  readonly runs: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

/**
 * Times `fn` over `runs` calls after `warmup` unmeasured ones (so the JIT has compiled the hot path, as it has in a
 * dashboard that has been open a while). Used by the render benchmark test; works in a browser console too.
 */
export function measure(fn: (run: number) => void, runs: number, warmup = 5): Timing {
  for (let i = 0; i < warmup; i++) fn(i);
  const times = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn(warmup + i);
    times[i] = performance.now() - start;
  }
  times.sort();
  let sum = 0;
  for (const t of times) sum += t;
  const at = (q: number): number => times[Math.min(runs - 1, Math.floor(q * runs))] ?? Number.NaN;
  return { runs, mean: sum / runs, p50: at(0.5), p95: at(0.95), max: times[runs - 1] ?? Number.NaN };
}
