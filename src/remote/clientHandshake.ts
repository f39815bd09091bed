import { Client } from 'ssh2';
import type { Duplex } from 'node:stream';
import { RemoteGpuError } from '../core/errors';
import type { AuthPlan } from './auth';
import { DEFAULT_KEEPALIVE_COUNT_MAX, DEFAULT_KEEPALIVE_INTERVAL_MS, DEFAULT_READY_TIMEOUT_MS } from './sshDeps';
import type { SshDeps } from './sshDeps';
import { cancelledError, mapConnectError } from './sshErrors';
import { PausableTimer } from './pausableTimer';
import { t } from '../shared/l10n';

export interface HandshakeTarget {
  readonly hostname: string;
  readonly port: number;
  readonly user: string;
}

export interface HandshakeParams {
  readonly target: HandshakeTarget;
  readonly auth: AuthPlan;
  readonly deps: SshDeps;
  /** An already-open byte stream to speak SSH over (ProxyJump); otherwise ssh2 opens TCP itself. */
  readonly sock?: Duplex;
  readonly signal?: AbortSignal;
}

export function describeTarget(t: HandshakeTarget): string {
  return `${t.user}@${t.hostname}${t.port === 22 ? '' : `:${t.port}`}`;
}

/**
 * ssh2's hostVerifier, backed by the HostKeyVerifier. A refusal is handed to `refuse` so the connect rejects with the
 * verifier's typed error (hostKeyChanged, hostKeyRejected) instead of ssh2's generic handshake failure.
 */
function hostVerifierFor(p: HandshakeParams, label: string, timer: PausableTimer, refuse: (e: RemoteGpuError) => void) {
  return (key: Buffer, verify: (ok: boolean) => void): void => {
    const hooks = { onPromptOpen: (open: boolean) => (open ? timer.pause() : timer.start()) };
    p.deps.hostKeys.verify(p.target.hostname, p.target.port, key, hooks).then(
      (outcome) => {
        if (!outcome.ok) refuse(outcome.error);
        verify(outcome.ok);
      },
      (e: unknown) => {
        refuse(mapConnectError(e, { target: label }));
        verify(false);
      },
    );
  };
}

/**
 * Opens one authenticated ssh2 Client: TCP (or `sock`), host-key check, auth. Resolves on 'ready'; rejects with a
 * RemoteGpuError. ssh2's own readyTimeout is off because it would also count the seconds a person spends reading the
 * host-key prompt; our timer pauses while the prompt is open.
 */
export function openClient(p: HandshakeParams): Promise<Client> {
  const { target, deps } = p;
  const label = describeTarget(target);
  const log = deps.logger.child('ssh');
  const timeoutMs = deps.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const client = new Client();
  return new Promise<Client>((resolve, reject) => {
    if (p.signal?.aborted) return reject(cancelledError(`connect to ${label}`));
    let settled = false;
    let refusal: RemoteGpuError | undefined;
    const timer = new PausableTimer(timeoutMs, () => fail(new RemoteGpuError('timeout', t('Timed out connecting to {0}.', label), `no SSH session after ${timeoutMs} ms`)));
    const onAbort = (): void => fail(cancelledError(`connect to ${label}`));
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      timer.stop();
      p.signal?.removeEventListener('abort', onAbort);
      return true;
    };
    function fail(e: RemoteGpuError): void {
      if (!finish()) return;
      client.destroy();
      reject(e);
    }
    p.signal?.addEventListener('abort', onAbort, { once: true });
    timer.start();
    client.on('error', (err: Error & { level?: string }) => {
      // An unreachable or empty agent is not fatal: ssh2 goes on with the identity files.
      if (err.level === 'agent') return log.warn(`${label}: ssh-agent unavailable (${err.message}); trying identity files`);
      if (settled) return log.debug(`${label}: ${err.message}`);
      fail(refusal ?? (err.level === 'client-authentication' ? p.auth.failure(label, err.message) : mapConnectError(err, { target: label })));
    });
    client.on('close', () => fail(refusal ?? new RemoteGpuError('unreachable', t('{0} closed the connection during the SSH handshake.', label))));
    client.on('ready', () => {
      if (finish()) resolve(client);
    });
    client.connect({
      host: target.hostname,
      port: target.port,
      username: target.user,
      ...(p.sock ? { sock: p.sock } : {}),
      readyTimeout: 0,
      keepaliveInterval: deps.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_INTERVAL_MS,
      keepaliveCountMax: DEFAULT_KEEPALIVE_COUNT_MAX,
      authHandler: p.auth.authHandler,
      hostVerifier: hostVerifierFor(p, label, timer, (e) => (refusal = e)),
    });
  });
}
