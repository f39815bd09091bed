import type { Checkpoint } from './checkpoint';

/** Median interval between consecutive checkpoints (ms), undefined with fewer than two. Robust to one slow save. */
export function cadenceMs(checkpoints: readonly Pick<Checkpoint, 'mtimeMs'>[]): number | undefined {
  const times = checkpoints.map((c) => c.mtimeMs).sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i] ?? 0) - (times[i - 1] ?? 0));
  if (gaps.length === 0) return undefined;
  gaps.sort((a, b) => a - b);
  const mid = Math.floor(gaps.length / 2);
  return gaps.length % 2 ? gaps[mid] : ((gaps[mid - 1] ?? 0) + (gaps[mid] ?? 0)) / 2;
}

export interface OverdueInput {
  readonly checkpoints: readonly Pick<Checkpoint, 'mtimeMs'>[];
  /** Same clock as the mtimes (the remote clock when known). */
  readonly nowMs: number;
  /** GPUs busy now; "cannot measure" should be passed as busy by the caller (product rule). */
  readonly gpusBusy: boolean;
  /** When the current run began (first busy sample), if known. */
  readonly runStartedMs?: number;
  readonly factor: number;
  readonly withoutAnyMs: number;
}

export type OverdueStatus =
  | { readonly overdue: false; readonly cadenceMs?: number; readonly dueAtMs?: number }
  | { readonly overdue: true; readonly why: 'pastCadence' | 'noneYet'; readonly cadenceMs?: number; readonly dueAtMs: number };

/**
 * Overdue = the GPUs are busy and no checkpoint came for more than factor x the median interval; with fewer than two
 * checkpoints there is no cadence, so the bound is `withoutAnyMs` since the newest one (or since the run started).
 */
export function overdueStatus(i: OverdueInput): OverdueStatus {
  const cadence = cadenceMs(i.checkpoints);
  const newest = i.checkpoints.reduce<number | undefined>((m, c) => (m === undefined || c.mtimeMs > m ? c.mtimeMs : m), undefined);
  const since = newest ?? i.runStartedMs;
  const withCadence = cadence === undefined ? {} : { cadenceMs: cadence };
  if (since === undefined) return { overdue: false, ...withCadence };
  const dueAtMs = since + (cadence === undefined ? i.withoutAnyMs : i.factor * cadence);
  if (!i.gpusBusy || i.nowMs <= dueAtMs) return { overdue: false, ...withCadence, dueAtMs };
  return { overdue: true, why: newest === undefined ? 'noneYet' : 'pastCadence', ...withCadence, dueAtMs };
}

/** The idle policy's progress signal: the newest checkpoint written after `sinceMs`, if any. */
export function newCheckpointSince(checkpoints: readonly Checkpoint[], sinceMs: number): Checkpoint | undefined {
  return checkpoints.reduce<Checkpoint | undefined>((best, c) => (c.mtimeMs > sinceMs && (!best || c.mtimeMs > best.mtimeMs) ? c : best), undefined);
}

/**
 * Remembers the newest mtime seen and tells listeners once per newer checkpoint. A plain event, so the idle policy
 * can subscribe without this module knowing it.
 */
export class CheckpointProgress {
  private newestMs: number | undefined;
  private readonly listeners = new Set<(c: Checkpoint) => void>();

  onNewCheckpoint(listener: (c: Checkpoint) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Feed every finished look's latest; the first look only sets the baseline (an old file is not progress). */
  update(latest: Checkpoint | undefined): void {
    if (!latest) return;
    const first = this.newestMs === undefined;
    if (!first && latest.mtimeMs <= (this.newestMs ?? 0)) return;
    this.newestMs = latest.mtimeMs;
    if (!first) for (const l of [...this.listeners]) l(latest);
  }
}
