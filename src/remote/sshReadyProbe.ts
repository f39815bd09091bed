import { createConnection } from 'node:net';
import { RemoteGpuError } from '../core/errors';
import type { SshHost } from '../core/hosts/sshHost';
import type { SshProbe, SshProbeTarget } from '../core/provisioning/sshReady';
import { cancelledError, mapConnectError } from './sshErrors';
import { t } from '../shared/l10n';

/** The part of the connection pool the probe needs. */
export interface ProbePool {
  get(host: SshHost, signal?: AbortSignal): Promise<unknown>;
  drop(hostId: string): void;
}

const DEFAULT_TCP_TIMEOUT_MS = 5_000;

/** Resolves once a TCP connection to host:port opens (and closes it at once); rejects typed. */
export function tcpConnect(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const target = `${host}:${port}`;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(cancelledError(`TCP connect to ${target}`));
    const socket = createConnection({ host, port });
    const done = (error?: RemoteGpuError): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const onAbort = (): void => done(cancelledError(`TCP connect to ${target}`));
    const timer = setTimeout(() => done(new RemoteGpuError('timeout', t('Timed out connecting to {0}.', target), `no TCP connection after ${timeoutMs} ms`)), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done());
    socket.once('error', (e) => done(mapConnectError(e, { target })));
  });
}

/**
 * Readiness as a person would see it: the port opens (a cheap check, repeated while the machine boots), then a
 * full SSH handshake through the connection pool, so the host key is verified like every other connection and the
 * chosen key must be accepted. The probe's connection is dropped afterwards; Connect opens its own.
 */
export function poolSshProbe(pool: ProbePool, tcpTimeoutMs = DEFAULT_TCP_TIMEOUT_MS): SshProbe {
  return {
    async attempt(target: SshProbeTarget, signal: AbortSignal): Promise<void> {
      const { host, port, user } = target.endpoint;
      await tcpConnect(host, port, tcpTimeoutMs, signal);
      const sshHost: SshHost = { id: target.id, label: target.label, source: 'cloud', hostname: host, port, user, identityFiles: [target.identityFile], identitiesOnly: false };
      try {
        await pool.get(sshHost, signal);
      } finally {
        pool.drop(target.id);
      }
    },
  };
}
