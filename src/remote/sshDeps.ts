import type { Logger } from '../core/logger';
import type { HostKeyVerifier } from './hostKeyVerifier';

/**
 * What the SSH layer needs from its owner. Passed explicitly (no globals) so tests can hand in a temp known_hosts,
 * a scripted prompt and a private agent socket.
 */
export interface SshDeps {
  readonly logger: Logger;
  /** Every connection (jump hosts included) is checked against this; there is no way to skip it. */
  readonly hostKeys: HostKeyVerifier;
  /** SSH-level keepalive; 0 turns it off. Default 15 s, three missed answers drop the connection. */
  readonly keepaliveIntervalMs?: number;
  /** TCP connect + handshake + auth, not counting the time a host-key prompt is open. Default 15 s. */
  readonly readyTimeoutMs?: number;
  /** ssh-agent socket. Default: process.env.SSH_AUTH_SOCK; an empty string means "no agent". */
  readonly agentSocket?: string;
}

export const DEFAULT_KEEPALIVE_INTERVAL_MS = 15_000;
export const DEFAULT_KEEPALIVE_COUNT_MAX = 3;
export const DEFAULT_READY_TIMEOUT_MS = 15_000;

export function agentSocketOf(deps: SshDeps): string | undefined {
  const sock = deps.agentSocket ?? process.env['SSH_AUTH_SOCK'];
  return sock ? sock : undefined;
}
