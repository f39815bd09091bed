/** Where a host came from: the user's ssh config, the `remoteGpu.sshHosts` setting, the built-in demo, or a cloud instance. */
export type HostSource = 'sshConfig' | 'settings' | 'demo' | 'cloud';

/** A jump host for ProxyJump (one hop). */
export interface JumpHost {
  readonly hostname: string;
  readonly port: number;
  readonly user: string;
}

/**
 * Everything needed to open an SSH connection to one host, already resolved (ssh config defaults applied).
 * `id` is stable across reloads and unique in the tree; it is also the connection-pool key.
 */
export interface SshHost {
  readonly id: string;
  /** What the user calls it: the `Host` alias, or the `name` of a settings entry. */
  readonly label: string;
  readonly source: HostSource;
  readonly hostname: string;
  readonly port: number;
  readonly user: string;
  /** Absolute paths, already `~`-expanded; tried in order after the agent. */
  readonly identityFiles: readonly string[];
  /** When true, only identityFiles are offered (ssh's IdentitiesOnly). */
  readonly identitiesOnly: boolean;
  readonly proxyJump?: JumpHost;
  /** Integer micro-dollars per hour, when the user told us a price. */
  readonly pricePerHourMicros?: number;
  /** The alias to pass to `ssh`/Remote-SSH when the host is in ~/.ssh/config, so the user's own config applies. */
  readonly sshConfigAlias?: string;
}

/** The host key identity used in known_hosts: bare host on 22, `[host]:port` otherwise. */
export function knownHostsName(hostname: string, port: number): string {
  return port === 22 ? hostname : `[${hostname}]:${port}`;
}

/**
 * Whether two hosts reach the same SSH server as the same user (address, port, user, jump host). Keys, label and
 * price may differ: a connection made for one serves the other.
 */
export function sameEndpoint(a: SshHost, b: SshHost): boolean {
  const jump = (h: SshHost): string => (h.proxyJump ? `${h.proxyJump.user}@${h.proxyJump.hostname}:${h.proxyJump.port}` : '');
  return a.hostname === b.hostname && a.port === b.port && a.user === b.user && jump(a) === jump(b);
}
