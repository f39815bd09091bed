import type { Checkpoint } from './checkpoint';

export interface LastDownload {
  readonly path: string;
  /** mtime of the checkpoint as it was downloaded. */
  readonly mtimeMs: number;
}

export type TerminateCheck =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly why: 'neverDownloaded' | 'newerThanDownload'; readonly newest: Checkpoint };

/**
 * Terminating deletes the disk: refuse (the UI asks to confirm) while the newest finished checkpoint is newer than
 * the last one downloaded. No checkpoint on the instance at all is nothing to lose.
 */
export function terminateCheck(newest: Checkpoint | undefined, last: LastDownload | undefined): TerminateCheck {
  if (!newest) return { allowed: true };
  if (!last) return { allowed: false, why: 'neverDownloaded', newest };
  if (newest.mtimeMs > last.mtimeMs) return { allowed: false, why: 'newerThanDownload', newest };
  return { allowed: true };
}
