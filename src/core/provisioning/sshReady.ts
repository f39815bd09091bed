import { RemoteGpuError, toRemoteGpuError, type ErrorReason } from '../errors';
import { throwIfAborted } from '../http/jsonClient';
import type { SshEndpoint } from '../providers/instance';
import type { Clock, Sleep } from '../providers/time';
import { t } from '../../shared/l10n';

/** Where to try SSH on a fresh instance, and with which key. */
export interface SshProbeTarget {
  /** Stable id for the attempt's connection (the pool key); the adapter drops it afterwards. */
  readonly id: string;
  readonly label: string;
  readonly endpoint: SshEndpoint;
  /** The private key that belongs to the public key sent to the provider. */
  readonly identityFile: string;
}

/**
 * One readiness attempt: TCP connect, then a full SSH handshake (host key verified, key accepted). Implemented in
 * src/remote with the connection pool; rejects with a RemoteGpuError.
 */
export interface SshProbe {
  attempt(target: SshProbeTarget, signal: AbortSignal): Promise<void>;
}

export interface WaitForSshOptions {
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly onRetry?: (attempt: number, error: RemoteGpuError) => void;
}

/**
 * Failures a booting machine goes through: port closed, sshd not started, the key not installed yet (cloud-init
 * and container start scripts add it late). A host key that does not match, or one the person refused, is never
 * waited out.
 */
const TRANSIENT: ReadonlySet<ErrorReason> = new Set(['unreachable', 'timeout', 'connectionLost', 'auth']);

/** Tries the probe until one attempt succeeds; rejects with 'timeout' (carrying the last failure) at the deadline. */
export async function waitForSsh(probe: SshProbe, target: SshProbeTarget, o: WaitForSshOptions): Promise<void> {
  const deadline = o.clock.now() + o.timeoutMs;
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(o.signal);
    try {
      await probe.attempt(target, o.signal);
      return;
    } catch (e) {
      const error = toRemoteGpuError(e);
      if (o.signal.aborted || !TRANSIENT.has(error.reason)) throw error;
      o.onRetry?.(attempt, error);
      const left = deadline - o.clock.now();
      if (left <= 0) {
        const where = `${target.endpoint.host}:${target.endpoint.port}`;
        throw new RemoteGpuError('timeout', t('SSH on {0} ({1}) did not answer within {2} s: {3}', target.label, where, Math.round(o.timeoutMs / 1000), error.message), error.detail, { cause: error });
      }
      await o.sleep(Math.min(o.intervalMs, left), o.signal);
    }
  }
}
