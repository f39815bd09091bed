import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { RemoteGpuError, toRemoteGpuError } from '../core/errors';
import type { Logger } from '../core/logger';
import { t } from '../shared/l10n';

/** What a forward needs of an SSH connection; SshConnection has it. */
export interface ForwardConnection {
  readonly closed: boolean;
  forwardOut(host: string, port: number): Promise<Duplex>;
  onClose(cb: () => void): void;
}

export type ForwardState =
  | { readonly kind: 'active' }
  /** The SSH connection dropped: the local port stays ours (so the browser's URL stays valid) until retry or stop. */
  | { readonly kind: 'broken'; readonly error: RemoteGpuError }
  | { readonly kind: 'stopped' };

export interface PortForwardOptions {
  readonly remotePort: number;
  /** Default "localhost", like `ssh -L p:localhost:p`: the server resolves it, so IPv4- and IPv6-only apps work. */
  readonly remoteHost?: string;
  /** Tried first; default remotePort. Taken or privileged: any free port instead. */
  readonly preferredLocalPort?: number;
  /** The host's (pooled) SSH connection; called on start and on retry. */
  readonly connect: () => Promise<ForwardConnection>;
  readonly logger: Logger;
}

/**
 * A local TCP server on 127.0.0.1 (never all interfaces: a forward must not open the instance to the LAN) whose
 * every accepted connection becomes one direct-tcpip channel on the host's SSH connection, like `ssh -L`.
 */
export class PortForward {
  private stateValue: ForwardState = { kind: 'active' };
  private readonly sockets = new Set<Socket>();
  private readonly listeners = new Set<() => void>();
  private generation = 0;

  private constructor(
    private readonly server: Server,
    readonly localPort: number,
    readonly remotePort: number,
    private readonly remoteHost: string,
    private conn: ForwardConnection,
    private readonly opts: PortForwardOptions,
  ) {
    server.on('connection', (socket) => this.accept(socket));
    this.watch(conn);
  }

  /** Connects first (so an unreachable host fails the command, not the first browser request), then listens. */
  static async start(opts: PortForwardOptions): Promise<PortForward> {
    if (!Number.isInteger(opts.remotePort) || opts.remotePort < 1 || opts.remotePort > 65535) {
      throw new RemoteGpuError('config', t('{0} is not a port number (1 to 65535).', opts.remotePort));
    }
    const conn = await opts.connect();
    const server = createServer({ pauseOnConnect: true });
    const localPort = await listenPreferred(server, opts.preferredLocalPort ?? opts.remotePort);
    const forward = new PortForward(server, localPort, opts.remotePort, opts.remoteHost ?? 'localhost', conn, opts);
    opts.logger.info(`forwarding 127.0.0.1:${localPort} → ${forward.remoteHost}:${opts.remotePort}`);
    return forward;
  }

  get state(): ForwardState {
    return this.stateValue;
  }

  /** Local connections being carried right now. */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Fires on state changes only (not per connection: a browser opens dozens). */
  onDidChange(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** After a drop: takes a fresh connection from the pool; the local port is unchanged. */
  async retry(): Promise<void> {
    if (this.stateValue.kind === 'stopped') throw new RemoteGpuError('notFound', t('This port forward was stopped.'));
    const conn = await this.opts.connect();
    if (this.state.kind === 'stopped') return;
    this.conn = conn;
    this.watch(conn);
    this.setState({ kind: 'active' });
  }

  /** Stops listening (the port is free when this resolves) and ends every carried connection. */
  async stop(): Promise<void> {
    if (this.stateValue.kind === 'stopped') return;
    this.setState({ kind: 'stopped' });
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.listeners.clear();
    this.opts.logger.info(`stopped forwarding 127.0.0.1:${this.localPort}`);
  }

  private watch(conn: ForwardConnection): void {
    const generation = ++this.generation;
    conn.onClose(() => {
      // An older connection closing after a retry replaced it is no news.
      if (generation !== this.generation || this.stateValue.kind !== 'active') return;
      this.opts.logger.warn(`forward 127.0.0.1:${this.localPort}: SSH connection lost`);
      this.setState({ kind: 'broken', error: new RemoteGpuError('connectionLost', t('The SSH connection carrying this forward was lost.')) });
    });
  }

  private accept(socket: Socket): void {
    if (this.stateValue.kind !== 'active' || this.conn.closed) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', (e) => this.opts.logger.debug(`forward ${this.localPort}: local socket: ${e.message}`));
    this.conn.forwardOut(this.remoteHost, this.remotePort).then(
      (channel) => {
        if (socket.destroyed) return void channel.destroy();
        channel.on('error', (e: Error) => this.opts.logger.debug(`forward ${this.localPort}: channel: ${e.message}`));
        // Either side ending ends the other; pipe() does not propagate destroy, so close both explicitly.
        channel.on('close', () => socket.destroy());
        socket.on('close', () => channel.destroy());
        socket.pipe(channel).pipe(socket);
        socket.resume();
      },
      (e: unknown) => {
        const err = toRemoteGpuError(e);
        // Nothing listening on the remote port is the browser's problem (connection reset), not the forward's.
        this.opts.logger.warn(`forward ${this.localPort} → ${this.remotePort}: ${err.message}${err.detail ? ` (${err.detail})` : ''}`);
        socket.destroy();
      },
    );
  }

  private setState(state: ForwardState): void {
    this.stateValue = state;
    this.emit();
  }

  private emit(): void {
    for (const cb of this.listeners) cb();
  }
}

/** Listens on 127.0.0.1:port, or on any free port when that one is taken or not ours to take (< 1024). */
async function listenPreferred(server: Server, port: number): Promise<number> {
  try {
    return await listen(server, port);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw new RemoteGpuError('internal', t('Could not open a local port.'), String(e), { cause: e });
    return listen(server, 0);
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
