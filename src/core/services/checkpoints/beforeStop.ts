import type { Checkpoint } from '../../checkpoints/checkpoint';
import type { SaveBeforeStop } from '../../checkpoints/checkpointSettings';
import type { SaveOutcome, SaveWaitProgress } from '../../checkpoints/saveBeforeStop';
import type { LastDownload } from '../../checkpoints/terminateRule';
import { terminateCheck } from '../../checkpoints/terminateRule';
import { toRemoteGpuError } from '../../errors';

/** What the user is asked before a stop goes ahead; the UI words each kind (and makes it modal). */
export type BeforeStopQuestion =
  | { readonly kind: 'saveTimedOut'; readonly waitedMs: number }
  | { readonly kind: 'saveFailed'; readonly message: string }
  | { readonly kind: 'notDownloaded'; readonly why: 'neverDownloaded' | 'newerThanDownload'; readonly newest: Checkpoint }
  | { readonly kind: 'cannotCheck'; readonly message: string };

export interface BeforeStopPorts {
  readonly action: 'stop' | 'terminate';
  readonly saveConfig: SaveBeforeStop;
  readonly waitMs: number;
  /** saveBeforeStop bound to the host's connection and a look (core/checkpoints/saveBeforeStop.ts). */
  save(o: { config: SaveBeforeStop; waitMs: number; onProgress: (p: SaveWaitProgress) => void }): Promise<SaveOutcome>;
  /** Newest finished checkpoint now (two looks), for the terminate rule. */
  newestFinished(): Promise<Checkpoint | undefined>;
  readonly lastDownload: LastDownload | undefined;
  onProgress(p: SaveWaitProgress): void;
  /** True = go ahead anyway. */
  confirm(q: BeforeStopQuestion): Promise<boolean>;
}

/**
 * Runs before a manual Stop or Terminate (and is what auto-stop can run too): asks the job to save when configured
 * and waits, bounded, for the new checkpoint; then, for Terminate only, refuses while the newest checkpoint is newer
 * than the last download unless the user confirms. A cancel (the progress's Cancel) rejects with `cancelled`, which
 * aborts the stop; every other failure becomes a question, never a silent stop or a silent refusal.
 */
export async function beforeStop(p: BeforeStopPorts): Promise<'go' | 'abort'> {
  let saved: Checkpoint | undefined;
  if (p.saveConfig.mode !== 'off') {
    try {
      const outcome = await p.save({ config: p.saveConfig, waitMs: p.waitMs, onProgress: (x) => p.onProgress(x) });
      if (outcome.outcome === 'saved') saved = outcome.checkpoint;
      else if (outcome.outcome === 'timedOut' && !(await p.confirm({ kind: 'saveTimedOut', waitedMs: outcome.waitedMs }))) return 'abort';
    } catch (e) {
      const error = toRemoteGpuError(e);
      if (error.reason === 'cancelled') throw error;
      if (!(await p.confirm({ kind: 'saveFailed', message: error.message }))) return 'abort';
    }
  }
  if (p.action !== 'terminate') return 'go';
  let newest: Checkpoint | undefined;
  try {
    newest = await p.newestFinished();
  } catch (e) {
    const error = toRemoteGpuError(e);
    if (error.reason === 'cancelled') throw error;
    return (await p.confirm({ kind: 'cannotCheck', message: error.message })) ? 'go' : 'abort';
  }
  // The checkpoint the save just produced counts even if the look missed it (written to another folder level).
  if (saved && (!newest || saved.mtimeMs > newest.mtimeMs)) newest = saved;
  const check = terminateCheck(newest, p.lastDownload);
  if (check.allowed) return 'go';
  return (await p.confirm({ kind: 'notDownloaded', why: check.why, newest: check.newest })) ? 'go' : 'abort';
}
