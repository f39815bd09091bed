import type { Client, ClientChannel } from 'ssh2';
import { RemoteGpuError } from '../core/errors';
import type { Logger } from '../core/logger';
import { connectionLostError } from './sshErrors';
import { t } from '../shared/l10n';

/**
 * What a channel-level operation (exec, shell, stream) needs from its connection. Kept as an interface so the
 * operations stay in small files and the connection stays the one owner of the ssh2 Client.
 */
export interface ChannelHost {
  readonly client: Client;
  /** "user@host:port", for messages. */
  readonly target: string;
  readonly closed: boolean;
  readonly log: Logger;
  /** Registers an operation to fail when the connection goes away; returns the function that unregisters it. */
  track(fail: (e: RemoteGpuError) => void): () => void;
}

/** A channel that could not be opened: the connection died, or the server refused (MaxSessions, policy). */
export function channelOpenError(h: ChannelHost, err: Error): RemoteGpuError {
  if (h.closed) return connectionLostError(h.target, err);
  return new RemoteGpuError('unavailable', t('{0} refused to open an SSH session channel.', h.target), err.message, { cause: err });
}

/**
 * Stops what runs on a channel. The "signal" request lets the remote process clean up, but OpenSSH refuses it for
 * root logins ("session signalling requires privilege separation"), forced commands and subsystems; closing the
 * channel then releases it either way, and the remote process ends at its next write (SIGPIPE) or on its own.
 */
export function stopChannel(ch: ClientChannel | undefined, log: Logger): void {
  if (!ch) return;
  try {
    ch.signal('TERM');
  } catch (e) {
    log.debug(`signal TERM not sent: ${String(e)}`);
  }
  try {
    ch.close();
  } catch (e) {
    log.debug(`channel close: ${String(e)}`);
  }
}
