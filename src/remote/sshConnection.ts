import type { Client, ClientChannel } from 'ssh2';
import type { RemoteGpuError } from '../core/errors';
import type { SshHost } from '../core/hosts/sshHost';
import type { Logger } from '../core/logger';
import type { ExecResult, RemoteExec } from '../core/remote/remoteCommand';
import { shJoin } from '../core/remote/shellQuote';
import { prepareAuth } from './auth';
import type { ChannelHost } from './channelHost';
import { describeTarget, openClient } from './clientHandshake';
import type { HandshakeTarget } from './clientHandshake';
import { execArgv, runExec } from './execChannel';
import { openForwardChannel } from './forwardChannel';
import type { SshExecOptions } from './execChannel';
import { openLineStream } from './lineStream';
import type { RemoteStream, StreamOptions } from './lineStream';
import { forwardThroughJump } from './proxyJump';
import { openShell } from './shellChannel';
import type { OpenShellOptions, ShellChannel } from './shellChannel';
import { agentSocketOf } from './sshDeps';
import type { SshDeps } from './sshDeps';
import { cancelledError, connectionLostError } from './sshErrors';

/**
 * One authenticated SSH connection to one host (through at most one jump host). Every remote command goes through
 * `exec`/`openStream` as an argv, quoted by shJoin; nothing here accepts a raw command line.
 */
export class SshConnection implements RemoteExec, ChannelHost {
  readonly target: string;
  readonly log: Logger;
  private isClosed = false;
  private disposed = false;
  private readonly pending = new Set<(e: RemoteGpuError) => void>();
  private readonly closeListeners: (() => void)[] = [];

  private constructor(
    readonly host: SshHost,
    readonly client: Client,
    private readonly jump: Client | undefined,
    deps: SshDeps,
  ) {
    this.target = describeTarget(host);
    this.log = deps.logger.child('ssh');
    // ssh2 leaves Nagle on. An exec or SFTP request is a few small packets, each sent after the answer to the one
    // before, and with Nagle each also waited for a delayed ACK (so did terminal keystrokes). On the rig a `true`
    // exec took 88 ms with it and 3 ms without, an SFTP walk of 10,000 files 5 s and 0.14 s (npm run bench:exec,
    // bench:checkpoints). Through a jump host the target's socket is a channel (a no-op here) carried by the jump's
    // TCP socket, so that one gets it too.
    client.setNoDelay(true);
    jump?.setNoDelay(true);
    client.on('error', (e: Error & { level?: string }) => this.log.warn(`${this.target}: ${e.level ?? 'error'}: ${e.message}`));
    client.on('close', () => this.markClosed());
    jump?.on('error', (e: Error) => this.log.warn(`${this.target} (jump): ${e.message}`));
    // The target's stream runs inside the jump connection: if the jump dies, so does the target.
    jump?.on('close', () => client.destroy());
  }

  /** Connects and authenticates; rejects with RemoteGpuError (unreachable, timeout, auth, hostKey*, cancelled). */
  static async connect(host: SshHost, deps: SshDeps, signal?: AbortSignal): Promise<SshConnection> {
    const started = Date.now();
    const keys = { identityFiles: host.identityFiles, identitiesOnly: host.identitiesOnly, agentSocket: agentSocketOf(deps), logger: deps.logger };
    const auth = await prepareAuth({ user: host.user, ...keys }, describeTarget(host));
    let jump: Client | undefined;
    try {
      let sock;
      if (host.proxyJump) {
        const hop: HandshakeTarget = host.proxyJump;
        const jumpAuth = await prepareAuth({ user: hop.user, ...keys }, describeTarget(hop));
        jump = await openClient({ target: hop, auth: jumpAuth, deps, ...(signal ? { signal } : {}) });
        sock = await forwardThroughJump(jump, hop, host, signal);
      }
      const client = await openClient({ target: host, auth, deps, ...(sock ? { sock } : {}), ...(signal ? { signal } : {}) });
      deps.logger.child('ssh').info(`connected to ${describeTarget(host)}${jump ? ' via ' + describeTarget(host.proxyJump as HandshakeTarget) : ''} in ${Date.now() - started} ms`);
      return new SshConnection(host, client, jump, deps);
    } catch (e) {
      jump?.destroy();
      throw e;
    }
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Runs argv (each element quoted by shJoin). A non-zero exit is data in the result, not a rejection. With a signal
   * or a timeout, giving up also ends the remote command (execArgv).
   */
  exec(argv: readonly string[], options?: SshExecOptions): Promise<ExecResult> {
    return runExec(this, shJoin(execArgv(argv, options)), options);
  }

  /** A long-lived command whose stdout arrives line by line; see StreamOptions. */
  openStream(argv: readonly string[], options: StreamOptions): Promise<RemoteStream> {
    return openLineStream(this, shJoin(argv), options);
  }

  /** An interactive login shell on a pty. */
  openShell(options: OpenShellOptions): Promise<ShellChannel> {
    return openShell(this, options);
  }

  /** A TCP stream to host:port as seen from the server (a port forward's one accepted connection). */
  forwardOut(host: string, port: number): Promise<ClientChannel> {
    return openForwardChannel(this, host, port);
  }

  /** Called once when the connection ends for any reason (dropped, keepalive timeout, dispose). */
  onClose(cb: () => void): void {
    if (this.isClosed) queueMicrotask(cb);
    else this.closeListeners.push(cb);
  }

  track(fail: (e: RemoteGpuError) => void): () => void {
    this.pending.add(fail);
    return () => this.pending.delete(fail);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.failPending(cancelledError(`connection to ${this.target} disposed`));
    this.client.end();
    this.jump?.end();
    this.markClosed();
  }

  private markClosed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    if (!this.disposed) this.log.warn(`${this.target}: connection closed`);
    this.failPending(connectionLostError(this.target));
    this.jump?.end();
    for (const cb of this.closeListeners.splice(0)) {
      try {
        cb();
      } catch (e) {
        this.log.error(`onClose listener failed`, e);
      }
    }
  }

  private failPending(e: RemoteGpuError): void {
    const fails = [...this.pending];
    this.pending.clear();
    for (const fail of fails) fail(e);
  }
}
