import { sameEndpoint, type SshHost } from '../../hosts/sshHost';
import type { Logger } from '../../logger';
import type { Clock, Random } from '../../providers/time';
import { DriverVersionCache } from '../../telemetry/driverVersion';
import type { NegotiatedFields } from '../../telemetry/helpQueryGpu';
import { HostTelemetry } from './hostTelemetry';
import type { HostTelemetryOptions } from './hostTelemetry';
import type { ConnectTelemetry, Timers } from './ports';
import { FIELD_CACHE_SIGNATURE } from './streamSetup';

export interface TelemetryHubDeps {
  /** In the extension: `(host) => pool.get(host)` (see src/remote/telemetry/nodeTelemetryPorts.ts). */
  readonly connect: ConnectTelemetry;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly random: Random;
  readonly logger: Logger;
}

/**
 * One HostTelemetry per host id, created on first use and kept (with its history) until the hub is disposed or the
 * host is forgotten. The negotiated field set is cached per driver version across hosts: a fleet of same-driver
 * hosts runs `--help-query-gpu` once. Streams connect to the newest SshHost seen for an id, so an instance that
 * came back at another address is followed without a new HostTelemetry (its consumers keep theirs).
 */
export class TelemetryHub {
  private readonly hosts = new Map<string, HostTelemetry>();
  /** The newest SshHost given for each id: what a (re)connect uses. */
  private readonly current = new Map<string, SshHost>();
  /** Gone hosts still held by a consumer: forgotten when the last one lets go. */
  private readonly forgetWhenIdle = new Set<string>();
  private readonly fieldCache = new DriverVersionCache<NegotiatedFields>(FIELD_CACHE_SIGNATURE);
  private disposed = false;

  constructor(
    private readonly deps: TelemetryHubDeps,
    private readonly options: () => HostTelemetryOptions = () => ({}),
  ) {}

  /** The host's telemetry; the first call for an id creates it with the options of that moment. */
  for(host: SshHost): HostTelemetry {
    if (this.disposed) throw new Error('TelemetryHub is disposed');
    let telemetry = this.hosts.get(host.id);
    if (!telemetry) {
      const id = host.id;
      telemetry = new HostTelemetry(
        host,
        {
          ...this.deps,
          connect: (h) => this.deps.connect(this.current.get(h.id) ?? h),
          fieldCache: this.fieldCache,
          onIdle: () => this.whenIdle(id),
        },
        this.options(),
      );
      this.hosts.set(host.id, telemetry);
    }
    // Asked for again: it is not gone after all.
    this.forgetWhenIdle.delete(host.id);
    // Only the first host is taken from here: a consumer may hold an older copy, and only the tree's listing
    // (hostChanged) knows where an instance is now.
    if (!this.current.has(host.id)) this.current.set(host.id, host);
    return telemetry;
  }

  /**
   * The host of an id changed (an instance restarted at another address): later connects use it, and a running
   * stream moves at once rather than after its old address stops answering.
   */
  hostChanged(host: SshHost): void {
    const before = this.current.get(host.id);
    this.current.set(host.id, host);
    if (before && !sameEndpoint(before, host)) this.hosts.get(host.id)?.retry();
  }

  /**
   * Stops and forgets a host (removed from settings, instance terminated); its history (about 282 KB per GPU) goes
   * with it. A host a consumer still holds (an open dashboard) is forgotten when the last one lets go, so nobody is
   * left holding a disposed object.
   */
  forget(hostId: string): void {
    const telemetry = this.hosts.get(hostId);
    if (telemetry?.inUse) {
      this.forgetWhenIdle.add(hostId);
      return;
    }
    this.drop(hostId);
  }

  /** How many hosts the hub keeps (with their history). */
  get size(): number {
    return this.hosts.size;
  }

  /** Applies a new sampling interval to every host (the setting changed). */
  setInterval(intervalMs: number): void {
    for (const telemetry of this.hosts.values()) telemetry.setInterval(intervalMs);
  }

  private whenIdle(hostId: string): void {
    if (this.forgetWhenIdle.has(hostId)) this.drop(hostId);
  }

  private drop(hostId: string): void {
    this.forgetWhenIdle.delete(hostId);
    this.current.delete(hostId);
    this.hosts.get(hostId)?.dispose();
    this.hosts.delete(hostId);
  }

  dispose(): void {
    this.disposed = true;
    for (const telemetry of this.hosts.values()) telemetry.dispose();
    this.hosts.clear();
  }
}
