import { describe, expect, it } from 'vitest';
import { DEFAULT_RECONNECT_POLICY, ReconnectBackoff } from './backoff';

/** mulberry32: a small seeded PRNG, so the jitter test sees the same numbers every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const fixedClock = () => {
  const clock = { t: 0, now: () => clock.t };
  return clock;
};

describe('reconnect backoff', () => {
  it('doubles its ceiling from 1 s and caps at 30 s (random fixed at 0.5)', () => {
    const b = new ReconnectBackoff({ random: () => 0.5, clock: fixedClock() });
    expect(Array.from({ length: 8 }, () => b.next())).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
    expect(b.attempts).toBe(8);
  });

  it('stays within [0, ceiling) for every draw of a seeded random, and uses the whole range', () => {
    const random = seeded(42);
    const ceilings = [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000];
    const seen: number[][] = ceilings.map(() => []);
    for (let run = 0; run < 500; run++) {
      const b = new ReconnectBackoff({ random, clock: fixedClock() });
      ceilings.forEach((_, k) => seen[k]?.push(b.next()));
    }
    ceilings.forEach((ceiling, k) => {
      const delays = seen[k] ?? [];
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThan(ceiling);
      expect(Math.max(...delays)).toBeGreaterThan(ceiling * 0.95);
      expect(Math.min(...delays)).toBeLessThan(ceiling * 0.05);
      expect(delays.every(Number.isInteger)).toBe(true);
    });
  });

  it('never exceeds the ceiling even if the random misbehaves', () => {
    const b = new ReconnectBackoff({ random: () => 1, clock: fixedClock() });
    expect(b.next()).toBe(999);
    const c = new ReconnectBackoff({ random: () => Number.NaN, clock: fixedClock() }, { ...DEFAULT_RECONNECT_POLICY, initialMs: 100 });
    expect(c.next()).toBe(50);
  });

  it('starts over after reset, or after a connection that stayed up a minute, but not after a flap', () => {
    const clock = fixedClock();
    const b = new ReconnectBackoff({ random: () => 0.5, clock });
    b.next();
    b.next();
    b.next();
    b.connected();
    clock.t += 5_000;
    expect(b.next()).toBe(4000);
    b.connected();
    clock.t += 60_000;
    expect(b.next()).toBe(500);
    b.next();
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBe(500);
  });
});
