import type { Instance } from '../providers/instance';
import type { SshHost } from './sshHost';

/** What an instance does not say about SSH: the local keys to offer. */
export interface InstanceSshDefaults {
  /** Absolute paths, tried after the agent (unreadable ones are skipped by the auth layer). */
  readonly identityFiles: readonly string[];
  /** The private key path the instance was launched with, offered before the others (its public key is on it). */
  readonly launchKey?: string;
}

/** The pool key and tree id of an instance's host: stable for the instance's life, unique across providers. */
export function instanceHostId(instance: Pick<Instance, 'provider' | 'id'>): string {
  return `${instance.provider}:${instance.id}`;
}

/**
 * A running instance with an SSH endpoint as an SshHost, so terminal, dashboard, GPU inventory and telemetry work on
 * it unchanged. Undefined while the instance is not running or has no endpoint yet (booting, stopped).
 */
export function instanceSshHost(instance: Instance, defaults: InstanceSshDefaults): SshHost | undefined {
  if (instance.state !== 'running' || !instance.ssh) return undefined;
  const { host, port, user } = instance.ssh;
  return {
    id: instanceHostId(instance),
    label: instance.name || instance.id,
    source: 'cloud',
    hostname: host,
    port,
    user,
    identityFiles: keyOrder(defaults),
    identitiesOnly: false,
    ...(instance.priceMicrosPerHour > 0 ? { pricePerHourMicros: instance.priceMicrosPerHour } : {}),
  };
}

/** The launch key first, then the configured keys without a second copy of it. */
function keyOrder(defaults: InstanceSshDefaults): string[] {
  const { launchKey, identityFiles } = defaults;
  return launchKey ? [launchKey, ...identityFiles.filter((f) => f !== launchKey)] : [...identityFiles];
}
