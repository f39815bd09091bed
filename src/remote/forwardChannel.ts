import type { ClientChannel } from 'ssh2';
import { RemoteGpuError } from '../core/errors';
import type { ChannelHost } from './channelHost';
import { connectionLostError } from './sshErrors';
import { t } from '../shared/l10n';

/**
 * A direct-tcpip channel (what `ssh -L` opens per accepted connection): the server connects to host:port on its
 * side and the channel carries the bytes. Rejects with connectionLost when the SSH connection is gone, and with
 * `unreachable` when the server could not connect (nothing listening on that port, or forwarding disabled).
 */
export function openForwardChannel(h: ChannelHost, host: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    if (h.closed) return reject(connectionLostError(h.target));
    let settled = false;
    const untrack = h.track((e) => {
      settled = true;
      reject(e);
    });
    // The originator is informational (sshd logs it); ssh -L sends the local client's address, we have none to give.
    h.client.forwardOut('127.0.0.1', 0, host, port, (err, channel) => {
      untrack();
      if (settled) {
        channel?.close();
        return;
      }
      settled = true;
      if (!err) return resolve(channel);
      if (h.closed) return reject(connectionLostError(h.target, err));
      reject(new RemoteGpuError('unreachable', t('{0} could not connect to port {1} on its side.', h.target, port), err.message, { cause: err }));
    });
  });
}
