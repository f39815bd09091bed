import type { Client, ClientChannel } from 'ssh2';
import { RemoteGpuError } from '../core/errors';
import type { HandshakeTarget } from './clientHandshake';
import { describeTarget } from './clientHandshake';
import { cancelledError } from './sshErrors';
import { t } from '../shared/l10n';

/**
 * One ProxyJump hop: asks the (already authenticated and host-key-verified) jump host to open a TCP stream to the
 * target, like `ssh -J`. The stream then carries a second, end-to-end SSH session, whose host key is verified on its
 * own; the jump host only ever sees ciphertext.
 */
export function forwardThroughJump(jump: Client, jumpTarget: HandshakeTarget, target: { hostname: string; port: number }, signal?: AbortSignal): Promise<ClientChannel> {
  const via = describeTarget(jumpTarget);
  const to = `${target.hostname}:${target.port}`;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError(`jump via ${via}`));
    let done = false;
    const onAbort = (): void => {
      done = true;
      reject(cancelledError(`jump via ${via}`));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    // The originator address is informational for the jump host's logs; OpenSSH's ssh -J sends 127.0.0.1:0 too.
    jump.forwardOut('127.0.0.1', 0, target.hostname, target.port, (err, stream) => {
      signal?.removeEventListener('abort', onAbort);
      if (done) {
        stream?.close();
        return;
      }
      done = true;
      if (err) {
        reject(new RemoteGpuError('unreachable', t('The jump host {0} could not connect to {1}.', via, to), err.message, { cause: err }));
        return;
      }
      resolve(stream);
    });
  });
}
