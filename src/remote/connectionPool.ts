import { isRemoteGpuError } from '../core/errors';
import type { SshHost } from '../core/hosts/sshHost';
import type { Logger } from '../core/logger';
import type { ExecResult } from '../core/remote/remoteCommand';
import type { SshExecOptions } from './execChannel';
import { SshConnection } from './sshConnection';
import type { SshDeps } from './sshDeps';
import { cancelledError } from './sshErrors';

/** A connect in flight, shared by every caller that asked for the same host meanwhile. */
interface Inflight {
  /** addressOf(host): who we connect to. */
  readonly key: string;
  /** keysOf(host): the keys this connect offers. */
  readonly keys: string;
  readonly promise: Promise<SshConnection>;
  readonly controller: AbortController;
  waiters: number;
}

/**
 * One connection per host id, reused by every caller (tree refresh, telemetry, terminals). A connection that closes
 * is forgotten at once, so the next call reconnects; a failed connect is never cached, so "Retry" really retries.
 */
export class ConnectionPool {
  private readonly live = new Map<string, { key: string; conn: SshConnection }>();
  private readonly inflight = new Map<string, Inflight>();
  private readonly log: Logger;
  private disposed = false;

  constructor(private readonly deps: SshDeps) {
    this.log = deps.logger.child('pool');
  }

  /**
   * The pooled connection for host.id, connecting if needed. `signal` abandons only this caller's wait.
   *
   * A live connection is reused by every caller whose host has the same address (user, hostname, port, jump), even
   * when their key lists differ: it is logged in already, and the keys only matter for logging in. Dropping it for a
   * different list let two callers with different views of the same instance cancel each other's streams and
   * queries without end. A different address under the same id (settings edited, instance moved) does reconnect.
   */
  async get(host: SshHost, signal?: AbortSignal): Promise<SshConnection> {
    if (this.disposed) throw cancelledError('connection pool disposed');
    if (signal?.aborted) throw cancelledError(`connect to ${host.label}`);
    const key = addressOf(host);
    const current = this.live.get(host.id);
    if (current && !current.conn.closed && current.key === key) return current.conn;
    // Same id, different address or user (settings edited): the old connection no longer answers for this id.
    if (current) {
      this.live.delete(host.id);
      current.conn.dispose();
    }
    let flight = this.inflight.get(host.id);
    if (flight && flight.key !== key) {
      flight.controller.abort();
      flight = undefined;
    }
    if (flight && flight.keys !== keysOf(host)) return this.shareOrOwn(flight, host, signal);
    flight ??= this.startConnect(host, key);
    return this.wait(flight, signal, host);
  }

  /** Runs argv on the host's pooled connection. */
  async exec(host: SshHost, argv: readonly string[], opts: SshExecOptions = {}): Promise<ExecResult> {
    const conn = await this.get(host, opts.signal);
    return conn.exec(argv, opts);
  }

  /** Closes and forgets the host's connection (e.g. the instance was terminated); the next call reconnects. */
  drop(hostId: string): void {
    const entry = this.live.get(hostId);
    this.live.delete(hostId);
    entry?.conn.dispose();
    this.inflight.get(hostId)?.controller.abort();
    this.inflight.delete(hostId);
  }

  dispose(): void {
    this.disposed = true;
    for (const id of [...this.live.keys(), ...this.inflight.keys()]) this.drop(id);
  }

  private startConnect(host: SshHost, key: string): Inflight {
    const controller = new AbortController();
    const promise = SshConnection.connect(host, this.deps, controller.signal).then(
      (conn) => {
        if (this.inflight.get(host.id)?.promise === promise) this.inflight.delete(host.id);
        if (this.disposed || controller.signal.aborted) {
          conn.dispose();
          throw cancelledError(`connect to ${host.label}`);
        }
        this.live.set(host.id, { key, conn });
        conn.onClose(() => {
          if (this.live.get(host.id)?.conn === conn) this.live.delete(host.id);
          this.log.debug(`${host.label}: evicted closed connection`);
        });
        return conn;
      },
      (e: unknown) => {
        if (this.inflight.get(host.id)?.promise === promise) this.inflight.delete(host.id);
        throw e;
      },
    );
    const flight: Inflight = { key, keys: keysOf(host), promise, controller, waiters: 0 };
    this.inflight.set(host.id, flight);
    return flight;
  }

  /**
   * A connect to the same address with other keys is in flight: share it, and only when it was refused for its keys
   * try once more with this caller's own (they may hold the one the server accepts).
   */
  private async shareOrOwn(flight: Inflight, host: SshHost, signal: AbortSignal | undefined): Promise<SshConnection> {
    try {
      return await this.wait(flight, signal, host);
    } catch (e) {
      if (!isRemoteGpuError(e) || e.reason !== 'auth' || signal?.aborted || this.disposed) throw e;
      const live = this.live.get(host.id);
      if (live && !live.conn.closed) return live.conn;
      return this.wait(this.inflight.get(host.id) ?? this.startConnect(host, addressOf(host)), signal, host);
    }
  }

  /** Waits for a shared connect; the connect itself is aborted only when every waiter has given up. */
  private wait(flight: Inflight, signal: AbortSignal | undefined, host: SshHost): Promise<SshConnection> {
    flight.waiters++;
    if (!signal) return flight.promise;
    return new Promise<SshConnection>((resolve, reject) => {
      const onAbort = (): void => {
        if (--flight.waiters === 0) flight.controller.abort();
        reject(cancelledError(`connect to ${host.label}`));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (c) => {
          signal.removeEventListener('abort', onAbort);
          resolve(c);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }
}

/** What makes two SshHost values the same connection; anything else (label, price, keys) may differ freely. */
function addressOf(h: SshHost): string {
  const jump = h.proxyJump ? `${h.proxyJump.user}@${h.proxyJump.hostname}:${h.proxyJump.port}` : '';
  return JSON.stringify([h.user, h.hostname, h.port, jump]);
}

/** The keys a connect offers; they decide only how a new connection logs in. */
function keysOf(h: SshHost): string {
  return JSON.stringify([h.identityFiles, h.identitiesOnly]);
}
