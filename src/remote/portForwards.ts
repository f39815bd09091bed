import type { SshHost } from '../core/hosts/sshHost';
import type { Logger } from '../core/logger';
import { PortForward } from './portForward';
import type { ForwardConnection } from './portForward';

/** One forward as the tree lists it. */
export interface ForwardEntry {
  /** `<hostId>#<localPort>`: unique while it runs, and what Stop / Open / Retry take. */
  readonly id: string;
  readonly host: SshHost;
  readonly forward: PortForward;
}

export interface PortForwardsDeps {
  /** The host's pooled connection. */
  readonly connect: (host: SshHost) => Promise<ForwardConnection>;
  readonly logger: Logger;
}

/**
 * Every port forward of the window, by host. Owns them: `stopHost` when a host goes away (instance terminated,
 * removed from settings), `dispose` on deactivation, so no local port outlives the extension.
 */
export class PortForwards {
  private readonly entries = new Map<string, ForwardEntry>();
  private readonly listeners = new Set<(hostId: string) => void>();
  private readonly starting = new Map<string, Promise<ForwardEntry>>();

  constructor(private readonly deps: PortForwardsDeps) {}

  /**
   * Forwards remotePort of the host. A second request for a port that is already forwarded for that host returns
   * the running forward instead of opening another local port.
   */
  add(host: SshHost, remotePort: number): Promise<ForwardEntry> {
    const existing = this.list(host.id).find((e) => e.forward.remotePort === remotePort && e.forward.state.kind !== 'stopped');
    if (existing) return Promise.resolve(existing);
    // A double click must not open two local ports for one remote port.
    const key = `${host.id}#${remotePort}`;
    const inFlight = this.starting.get(key);
    if (inFlight) return inFlight;
    const started = this.start(host, remotePort).finally(() => this.starting.delete(key));
    this.starting.set(key, started);
    return started;
  }

  private async start(host: SshHost, remotePort: number): Promise<ForwardEntry> {
    const forward = await PortForward.start({
      remotePort,
      connect: () => this.deps.connect(host),
      logger: this.deps.logger.child(`forward:${host.label}`),
    });
    const entry: ForwardEntry = { id: `${host.id}#${forward.localPort}`, host, forward };
    this.entries.set(entry.id, entry);
    forward.onDidChange(() => this.emit(host.id));
    this.emit(host.id);
    return entry;
  }

  get(id: string): ForwardEntry | undefined {
    return this.entries.get(id);
  }

  list(hostId: string): ForwardEntry[] {
    return [...this.entries.values()].filter((e) => e.host.id === hostId);
  }

  all(): ForwardEntry[] {
    return [...this.entries.values()];
  }

  async stop(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    await entry.forward.stop();
    this.emit(entry.host.id);
  }

  async stopHost(hostId: string): Promise<void> {
    await Promise.all(this.list(hostId).map((e) => this.stop(e.id)));
  }

  /** Hosts that are no longer listed lose their forwards. */
  async retainHosts(liveHostIds: ReadonlySet<string>): Promise<void> {
    const gone = new Set(this.all().map((e) => e.host.id).filter((id) => !liveHostIds.has(id)));
    await Promise.all([...gone].map((id) => this.stopHost(id)));
  }

  onDidChange(cb: (hostId: string) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  async dispose(): Promise<void> {
    const all = this.all();
    this.entries.clear();
    await Promise.all(all.map((e) => e.forward.stop()));
    this.listeners.clear();
  }

  private emit(hostId: string): void {
    for (const cb of this.listeners) cb(hostId);
  }
}
