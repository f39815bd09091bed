import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat, truncate, unlink } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import type { SFTPWrapper, Stats } from 'ssh2';
import type { Checkpoint } from '../../core/checkpoints/checkpoint';
import { normaliseRoot } from '../../core/checkpoints/findScan';
import { RemoteGpuError } from '../../core/errors';
import type { ChannelHost } from '../channelHost';
import { OperationGuard } from '../operationGuard';
import { sftpCall } from '../sftpSession';
import { t } from '../../shared/l10n';

export interface DownloadItem {
  readonly remotePath: string;
  readonly localPath: string;
}

export interface DownloadProgress {
  readonly doneBytes: number;
  readonly totalBytes: number;
  readonly file: string;
}

export interface DownloadResult {
  /** Bytes that crossed the wire in this call (less than the total when a partial download was resumed). */
  readonly transferredBytes: number;
  readonly totalBytes: number;
  readonly files: readonly string[];
}

export interface DownloadOptions {
  readonly signal?: AbortSignal;
  onProgress?(p: DownloadProgress): void;
}

/**
 * Where each file of a checkpoint lands under `localDir`: a file by its name, a folder (HF, DeepSpeed) whole under its
 * own name, shards side by side. Refuses a path that would leave `localDir`.
 */
export function downloadPlan(root: string, c: Checkpoint, localDir: string): DownloadItem[] {
  const base = normaliseRoot(root);
  const parent = c.kind === 'folder' ? (c.path.includes('/') ? c.path.slice(0, c.path.lastIndexOf('/') + 1) : '') : undefined;
  return c.files.map((f) => {
    const rel = parent === undefined ? f.path.slice(f.path.lastIndexOf('/') + 1) : f.path.slice(parent.length);
    const localPath = resolve(localDir, ...rel.split('/'));
    const inside = relative(resolve(localDir), localPath);
    if (inside === '' || inside.startsWith('..') || inside.startsWith(sep)) {
      throw new RemoteGpuError('invalidResponse', t('A checkpoint file name would be saved outside the chosen folder.'), f.path);
    }
    return { remotePath: base === '.' ? f.path : `${base}/${f.path}`, localPath };
  });
}

async function localSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

/** Appends the remote bytes from `start` to `part`; ends exactly once (done, abort, or the connection going). */
function appendFrom(h: ChannelHost, sftp: SFTPWrapper, remotePath: string, part: string, start: number, o: DownloadOptions, onBytes: (n: number) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const input = sftp.createReadStream(remotePath, { start });
    const output = createWriteStream(part, { flags: 'a' });
    const guard = new OperationGuard(h, { what: t('the download of {0}', remotePath), ...(o.signal ? { signal: o.signal } : {}) }, (e) => {
      input.unpipe(output);
      input.destroy();
      // Bytes already received are flushed, not dropped: they stay in the .part file and the next call resumes
      // after them.
      if (!output.destroyed) output.end();
      if (output.closed) reject(e);
      else output.once('close', () => reject(e));
    });
    const fail = (e: unknown): void =>
      guard.abandon(e instanceof RemoteGpuError ? e : new RemoteGpuError(h.closed ? 'connectionLost' : 'remoteFailed', t('The checkpoint download failed.'), String(e), { cause: e }));
    // Piped first, so a chunk is handed to the file before progress reports it (an abort from onProgress keeps it).
    input.pipe(output);
    input.on('data', (chunk: Buffer) => onBytes(chunk.length));
    input.on('error', fail);
    output.on('error', (e) => guard.abandon(new RemoteGpuError('config', t('Cannot write the downloaded checkpoint to the chosen folder.'), String(e), { cause: e })));
    output.on('close', () => {
      if (guard.finish()) resolvePromise();
    });
  });
}

/**
 * Downloads files over one SFTP channel into `<local>.part`, appending from the part's size after a break, checks
 * the size against the remote file, and renames into place. A finished file of the right size is skipped, so a
 * folder resumes where it stopped.
 */
export async function downloadFiles(h: ChannelHost, sftp: SFTPWrapper, items: readonly DownloadItem[], o: DownloadOptions = {}): Promise<DownloadResult> {
  const sizes = await Promise.all(items.map((i) => sftpCall<Stats>(`stat ${i.remotePath}`, (cb) => sftp.stat(i.remotePath, cb))));
  const totalBytes = sizes.reduce((n, s) => n + s.size, 0);
  let doneBytes = 0;
  let transferredBytes = 0;
  for (const [i, item] of items.entries()) {
    const size = sizes[i]?.size ?? 0;
    if (o.signal?.aborted) throw new RemoteGpuError('cancelled', t('Cancelled.'), 'download');
    await mkdir(dirname(item.localPath), { recursive: true });
    if ((await localSize(item.localPath)) === size) {
      doneBytes += size;
      continue;
    }
    const part = `${item.localPath}.part`;
    let start = (await localSize(part)) ?? 0;
    // A part longer than the remote file belongs to an older version of it: start over.
    if (start > size) {
      await truncate(part, 0);
      start = 0;
    }
    doneBytes += start;
    o.onProgress?.({ doneBytes, totalBytes, file: item.remotePath });
    if (start < size) {
      await appendFrom(h, sftp, item.remotePath, part, start, o, (n) => {
        doneBytes += n;
        transferredBytes += n;
        o.onProgress?.({ doneBytes, totalBytes, file: item.remotePath });
      });
    } else if (start === 0) {
      await mkdir(dirname(part), { recursive: true });
      await new Promise<void>((r, j) => createWriteStream(part).on('error', j).end(r));
    }
    const got = await localSize(part);
    if (got !== size) {
      await unlink(part).catch(() => undefined);
      throw new RemoteGpuError('invalidResponse', t('The downloaded checkpoint has the wrong size; it was removed, download it again.'), `${item.remotePath}: ${String(got)} of ${size} bytes`);
    }
    await rename(part, item.localPath);
  }
  return { transferredBytes, totalBytes, files: items.map((i) => i.localPath) };
}
