import type { SFTPWrapper } from 'ssh2';
import type { ScanEntry, ScanResult } from '../../core/checkpoints/checkpoint';
import { normaliseRoot } from '../../core/checkpoints/findScan';
import type { ScanFilter } from '../../core/checkpoints/scanFilter';
import { filterPredicates } from '../../core/checkpoints/scanFilter';
import { RemoteGpuError } from '../../core/errors';
import type { FileEntryWithStats } from 'ssh2';
import { sftpCall } from '../sftpSession';
import { t } from '../../shared/l10n';

/** Folders read at once: enough to hide the round trip, few enough not to flood the server's request queue. */
const PARALLEL_READDIRS = 16;

/**
 * The scan for hosts whose find has no -printf (busybox, BSD): a breadth-first readdir walk with the same filter,
 * depth and count bounds as the find expression, and the same result shape. SFTP v3 gives whole-second mtimes, and
 * like find without -L it does not follow symlinks (readdir's attributes are lstat's).
 */
export async function sftpWalk(sftp: SFTPWrapper, root: string, f: ScanFilter, signal?: AbortSignal): Promise<ScanResult> {
  const base = normaliseRoot(root);
  const { excluded, kind } = filterPredicates(f, base);
  const entries: ScanEntry[] = [];
  const logs: ScanEntry[] = [];
  let truncated = false;
  const queue: { rel: string; depth: number }[] = [{ rel: '', depth: 0 }];
  const read = async (rel: string): Promise<FileEntryWithStats[]> => {
    const path = rel === '' ? base : `${base}/${rel}`;
    try {
      return await sftpCall<FileEntryWithStats[]>(`readdir ${path}`, (cb) => sftp.readdir(path, (e, l) => cb(e, l)));
    } catch (e) {
      if (rel === '') {
        if (e instanceof RemoteGpuError && e.reason === 'notFound') throw new RemoteGpuError('notFound', t('The checkpoint folder {0} does not exist on the instance.', root), e.detail);
        throw e;
      }
      // An unreadable or vanished sub-folder is skipped, as find reports and skips it; a lost connection is not.
      if (e instanceof RemoteGpuError && (e.reason === 'notFound' || e.reason === 'remoteFailed')) return [];
      throw e;
    }
  };
  while (queue.length > 0 && !truncated) {
    if (signal?.aborted) throw new RemoteGpuError('cancelled', t('Cancelled.'), 'sftp walk');
    const batch = queue.splice(0, PARALLEL_READDIRS);
    const lists = await Promise.all(batch.map((d) => read(d.rel)));
    batch.forEach((dir, i) => {
      for (const item of lists[i] ?? []) {
        if (item.filename === '.' || item.filename === '..') continue;
        const rel = dir.rel === '' ? item.filename : `${dir.rel}/${item.filename}`;
        const depth = dir.depth + 1;
        if (item.attrs.isDirectory()) {
          if (depth < f.maxDepth && !excluded(item.filename)) queue.push({ rel, depth });
        } else if (item.attrs.isFile()) {
          const k = kind(rel);
          if (k === undefined) continue;
          // One bound for both lists, as find's `head -n` has.
          if (entries.length + logs.length >= f.maxEntries) truncated = true;
          else (k === 'log' ? logs : entries).push({ path: rel, size: item.attrs.size, mtimeMs: item.attrs.mtime * 1000 });
        }
      }
    });
  }
  return { root, entries, ...(f.progress ? { logs } : {}), truncated: truncated || entries.length + logs.length >= f.maxEntries, remoteNowMs: undefined, via: 'sftp' };
}
