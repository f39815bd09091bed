import { connect } from 'node:net';
import { RemoteGpuError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/logger';
import type { ProviderDeps } from '../../../src/core/providers/providerDeps';
import type { RetryPolicy } from '../../../src/core/providers/retryPolicy';
import type { Sleep } from '../../../src/core/providers/time';
import { createNodeHttpFetch } from '../../../src/remote/http/nodeHttpFetch';
import { nodeSleep, systemClock } from '../../../src/remote/http/nodeTimers';

/** Retry waits are recorded and skipped, so a Retry-After of seconds costs the test nothing. */
export interface RecordingSleep {
  readonly sleep: Sleep;
  readonly waits: number[];
}

export function recordingSleep(): RecordingSleep {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw new RemoteGpuError('cancelled', 'Cancelled.');
      waits.push(ms);
    },
  };
}

/** Real HTTP over loopback, real clock; the retry sleep is recorded unless `realSleep` is asked for. */
export function depsFor(apiKey: string, overrides: { retry?: RetryPolicy; timeoutMs?: number; sleep?: Sleep } = {}): ProviderDeps {
  return {
    http: createNodeHttpFetch(),
    apiKey: async () => apiKey,
    clock: systemClock,
    sleep: overrides.sleep ?? nodeSleep,
    // A fixed jitter draw makes backoff delays exact in assertions: half the ceiling.
    random: () => 0.5,
    logger: silentLogger,
    timeoutMs: overrides.timeoutMs ?? 5_000,
    ...(overrides.retry ? { retry: overrides.retry } : {}),
  };
}

/** Resolves with the rejection of `p` (fails the test when it resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<RemoteGpuError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RemoteGpuError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

/** Reads the server's identification line: proof that an OpenSSH server answers at host:port. */
export function sshBanner(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(5_000, () => socket.destroy(new Error('no SSH banner within 5 s')));
    socket.once('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString('utf8').split('\r\n')[0] ?? '');
    });
    socket.once('error', reject);
  });
}

/**
 * Virtual time shared by a fake's state machine and the poller: sleeping advances it, so a two-minute boot is
 * polled deterministically, however slow the machine running the tests is.
 */
export function virtualTime(): { now: () => number; clock: { now: () => number }; sleep: Sleep; advance: (ms: number) => void } {
  let t = 1_750_000_000_000;
  const now = (): number => t;
  return {
    now,
    clock: { now },
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw new RemoteGpuError('cancelled', 'Cancelled.');
      t += ms;
    },
    advance: (ms) => void (t += ms),
  };
}
