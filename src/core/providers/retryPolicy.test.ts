import { describe, expect, it } from 'vitest';
import { RemoteGpuError } from '../errors';
import { ProviderHttpError } from '../http/httpError';
import { backoffDelayMs, defaultRetryPolicy, nextRetryDelayMs } from './retryPolicy';

const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
const http = (status: number, retryAfterMs?: number) =>
  new ProviderHttpError('unavailable', 'x', { status, retryable: status === 429 || status >= 500, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });

describe('retry policy', () => {
  it('caps exponential backoff and applies full jitter', () => {
    expect([1, 2, 3, 4, 5, 9].map((a) => backoffDelayMs(policy, a, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelayMs(policy, 3, () => 0)).toBe(0);
  });

  it('honours Retry-After within the limit and refuses to wait longer', () => {
    expect(nextRetryDelayMs(policy, http(429, 2000), 1, () => 0.5)).toBe(2000);
    expect(nextRetryDelayMs(policy, http(429, 60_000), 1, () => 0.5)).toBeUndefined();
    expect(nextRetryDelayMs(policy, http(429), 1, () => 0.5)).toBe(50);
  });

  it('retries transient failures only, and stops after maxAttempts', () => {
    expect(nextRetryDelayMs(policy, http(503), 4, () => 0.5)).toBe(400);
    expect(nextRetryDelayMs(policy, http(503), 5, () => 0.5)).toBeUndefined();
    expect(nextRetryDelayMs(policy, http(401), 1, () => 0.5)).toBeUndefined();
    expect(nextRetryDelayMs(policy, new RemoteGpuError('unavailable', 'reset'), 1, () => 0.5)).toBe(50);
    expect(nextRetryDelayMs(policy, new RemoteGpuError('timeout', 't'), 1, () => 0.5)).toBeUndefined();
    expect(nextRetryDelayMs(policy, new Error('bug'), 1, () => 0.5)).toBeUndefined();
    expect(defaultRetryPolicy.maxAttempts).toBeGreaterThan(1);
  });
});
