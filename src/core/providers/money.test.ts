import { describe, expect, it } from 'vitest';
import { centsToMicros, dollarsToMicros, timesCount } from './money';

describe('money', () => {
  it('converts integer cents exactly', () => {
    expect(centsToMicros(86)).toBe(860_000);
    expect(centsToMicros(2392)).toBe(23_920_000);
    expect(() => centsToMicros(86.5)).toThrow(RangeError);
  });

  it('rounds float dollars once, at the edge', () => {
    expect(dollarsToMicros(0.69)).toBe(690_000);
    expect(dollarsToMicros(0.1 + 0.2)).toBe(300_000);
    expect(dollarsToMicros(2.69)).toBe(2_690_000);
    expect(dollarsToMicros(0)).toBe(0);
    expect(() => dollarsToMicros(Number.NaN)).toThrow(RangeError);
    expect(() => dollarsToMicros(-1)).toThrow(RangeError);
  });

  it('multiplies per-GPU prices by a count without drift', () => {
    expect(timesCount(dollarsToMicros(0.69), 8)).toBe(5_520_000);
  });
});
