import type { Clock, Random } from '../providers/time';

/** Shape of the reconnect delays. */
export interface BackoffPolicy {
  /** Ceiling of the first delay. */
  readonly initialMs: number;
  /** No delay ever exceeds this. */
  readonly maxMs: number;
  readonly multiplier: number;
  /** A connection that stayed up this long counts as healthy: the next failure starts from `initialMs` again. */
  readonly stableAfterMs: number;
}

/**
 * 1 s, 2 s, 4 s ... capped at 30 s: a rebooting instance is back within a minute or two, and a dozen hosts retrying
 * at most every 30 s cost nothing.
 */
export const DEFAULT_RECONNECT_POLICY: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000, multiplier: 2, stableAfterMs: 60_000 };

/**
 * Capped exponential backoff with full jitter (a uniform delay in [0, ceiling)), so the streams of many hosts that
 * dropped together (laptop resumed, VPN came back) do not all reconnect in the same instant. Random and clock are
 * injected; the adapter owns the timer. `next()` is called after each failure, `connected()` when a stream is up.
 */
export class ReconnectBackoff {
  private attempt = 0;
  private connectedAt: number | undefined;

  constructor(
    private readonly deps: { readonly random: Random; readonly clock: Clock },
    private readonly policy: BackoffPolicy = DEFAULT_RECONNECT_POLICY,
  ) {}

  /** Failures since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next attempt, in whole ms, in [0, min(maxMs, initialMs x multiplier^attempts)). */
  next(): number {
    const since = this.connectedAt;
    if (since !== undefined && this.deps.clock.now() - since >= this.policy.stableAfterMs) this.attempt = 0;
    this.connectedAt = undefined;
    const ceiling = Math.min(this.policy.maxMs, this.policy.initialMs * this.policy.multiplier ** this.attempt);
    this.attempt++;
    // A Random that returns 1 (or garbage) must not push the delay past the ceiling or make it NaN.
    const raw = this.deps.random();
    const r = Number.isFinite(raw) ? Math.min(Math.max(raw, 0), 1 - Number.EPSILON) : 0.5;
    return Math.floor(r * ceiling);
  }

  /** The stream is up again. The count is kept until it has stayed up `stableAfterMs`, so a flapping link backs off. */
  connected(): void {
    this.connectedAt = this.deps.clock.now();
  }

  /** Start over (the user pressed Retry, or the stream was stopped on purpose). */
  reset(): void {
    this.attempt = 0;
    this.connectedAt = undefined;
  }
}
