import type { SshHost } from '../../hosts/sshHost';
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
 * hosts runs `--help-query-gpu` once.
 */
export class TelemetryHub {
  private readonly hosts = new Map<string, HostTelemetry>();
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
      telemetry = new HostTelemetry(host, { ...this.deps, fieldCache: this.fieldCache }, this.options());
      this.hosts.set(host.id, telemetry);
    }
    return telemetry;
  }

  /** Stops and forgets a host (removed from settings, instance terminated); its history goes with it. */
  forget(hostId: string): void {
    this.hosts.get(hostId)?.dispose();
    this.hosts.delete(hostId);
  }

  /** Applies a new sampling interval to every host (the setting changed). */
  setInterval(intervalMs: number): void {
    for (const telemetry of this.hosts.values()) telemetry.setInterval(intervalMs);
  }

  dispose(): void {
    this.disposed = true;
    for (const telemetry of this.hosts.values()) telemetry.dispose();
    this.hosts.clear();
  }
}
