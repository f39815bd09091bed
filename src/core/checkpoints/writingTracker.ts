import type { Checkpoint } from './checkpoint';

/** 'new': seen once, cannot tell yet; 'writing': size or mtime changed since the last look; 'stable': unchanged. */
export type WriteState = 'new' | 'writing' | 'stable';

export interface TrackedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly state: WriteState;
}

export interface Look {
  readonly checkpoints: readonly TrackedCheckpoint[];
  /** Newest checkpoint that is neither being written nor an incomplete shard set / DeepSpeed folder. */
  readonly latest: Checkpoint | undefined;
}

/**
 * Tells a checkpoint still being written from a finished one by comparing two looks: the one state it keeps is the
 * previous look's size and mtime per path. A checkpoint whose size or mtime moved is "writing" and never "latest".
 */
export class WritingTracker {
  private previous = new Map<string, { size: number; mtimeMs: number }>();

  observe(checkpoints: readonly Checkpoint[]): Look {
    const next = new Map<string, { size: number; mtimeMs: number }>();
    const tracked = checkpoints.map((c): TrackedCheckpoint => {
      next.set(c.path, { size: c.sizeBytes, mtimeMs: c.mtimeMs });
      const before = this.previous.get(c.path);
      const state: WriteState = !before ? 'new' : before.size !== c.sizeBytes || before.mtimeMs !== c.mtimeMs ? 'writing' : 'stable';
      return { checkpoint: c, state: c.complete ? state : 'writing' };
    });
    this.previous = next;
    return { checkpoints: tracked, latest: latestOf(tracked) };
  }
}

/** Newest by mtime among the ones not being written ('new' counts: a single look has nothing to compare with). */
export function latestOf(tracked: readonly TrackedCheckpoint[]): Checkpoint | undefined {
  let best: Checkpoint | undefined;
  for (const t of tracked) {
    if (t.state === 'writing') continue;
    if (!best || t.checkpoint.mtimeMs > best.mtimeMs) best = t.checkpoint;
  }
  return best;
}
