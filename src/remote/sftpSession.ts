import type { SFTPWrapper } from 'ssh2';
import { RemoteGpuError } from '../core/errors';
import type { ChannelHost } from './channelHost';
import { channelOpenError } from './channelHost';
import { OperationGuard } from './operationGuard';
import { t } from '../shared/l10n';

/**
 * Opens an SFTP channel on a pooled connection. The caller ends it (`sftp.end()`) when done; a connection that drops
 * ends it too. Rejects with connectionLost / cancelled / unavailable like exec does.
 */
export function openSftp(h: ChannelHost, signal?: AbortSignal): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => {
    const guard = new OperationGuard(h, { what: t('an SFTP session on {0}', h.target), ...(signal ? { signal } : {}), timeoutMs: 30_000 }, reject);
    h.client.sftp((err, sftp) => {
      if (guard.settled) return err ? undefined : sftp.end();
      if (err) return guard.abandon(channelOpenError(h, err));
      if (guard.finish()) resolve(sftp);
    });
  });
}

/** One whole sentence per SFTP operation we use (the operation names are SFTP's own: stat, readdir). */
function sftpFailure(op: string | undefined): string {
  if (op === 'stat') return t('SFTP could not stat a remote file.');
  if (op === 'readdir') return t('SFTP could not readdir a remote file.');
  return t('SFTP could not read a remote file.');
}

/** A node-style SFTP call as a promise; errors become RemoteGpuError with the path in the detail only. */
export function sftpCall<T>(what: string, call: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    call((err, value) => {
      if (!err) return resolve(value);
      const code = (err as { code?: unknown }).code;
      // A numeric `code` is the server's SFTP status (2 = no such file, 3 = permission denied, ...); without one the
      // request died with its channel (ssh2: "No response from server"), i.e. the connection went away.
      const reason = code === 2 ? 'notFound' : typeof code === 'number' ? 'remoteFailed' : 'connectionLost';
      reject(new RemoteGpuError(reason, sftpFailure(what.split(' ')[0]), `${what}: ${err.message}`, { cause: err }));
    });
  });
}
