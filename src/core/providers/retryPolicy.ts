import { isRemoteGpuError } from '../errors';
import { ProviderHttpError } from '../http/httpError';
import type { Random } from './time';

/** How idempotent provider calls are retried. Non-idempotent calls (a launch) get exactly one attempt. */
export interface RetryPolicy {
  /** Total attempts including the first. */
  readonly maxAttempts: number;
  /** First backoff ceiling; doubles per attempt up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited out: the caller gets 'rateLimited' with the delay instead. */
  readonly maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

/** For launches and for tests that want to see the first error. */
export const noRetry: RetryPolicy = { ...defaultRetryPolicy, maxAttempts: 1 };

/**
 * "Full jitter" backoff (AWS architecture blog): a uniform delay in [0, min(max, base * 2^(attempt-1))], so many
 * clients that failed together do not retry together. `attempt` is the attempt that just failed, from 1.
 */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: Random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The wait before the next attempt, or undefined when the failure must be reported now: the attempts are used
 * up, the error is not transient, or the provider asked for a longer pause than we are willing to sit out.
 * Timeouts are not retried: every attempt already waited its full timeout, and the user can retry.
 */
export function nextRetryDelayMs(policy: RetryPolicy, error: unknown, attempt: number, random: Random): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  if (error instanceof ProviderHttpError) {
    if (!error.info.retryable) return undefined;
    const asked = error.info.retryAfterMs;
    if (asked === undefined) return backoffDelayMs(policy, attempt, random);
    return asked <= policy.maxRetryAfterMs ? asked : undefined;
  }
  // The HTTP port reports a failed network as 'unavailable' without a status: transient by nature.
  if (isRemoteGpuError(error) && error.reason === 'unavailable') return backoffDelayMs(policy, attempt, random);
  return undefined;
}
