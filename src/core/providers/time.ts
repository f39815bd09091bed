/** Wall-clock port, in epoch milliseconds. Injected so Retry-After dates and polling deadlines are testable. */
export interface Clock {
  now(): number;
}

/**
 * Waits `ms` milliseconds. Rejects with RemoteGpuError('cancelled') as soon as `signal` aborts, so a cancelled
 * provisioning never sits out a backoff. The core has no timers of its own: the Node adapter implements this.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A number in [0, 1), like Math.random; injected so backoff jitter is deterministic in tests. */
export type Random = () => number;
