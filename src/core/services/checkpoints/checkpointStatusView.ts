import type { Checkpoint } from '../../checkpoints/checkpoint';
import type { TrackedCheckpoint } from '../../checkpoints/writingTracker';
import type { OverdueStatus } from '../../checkpoints/cadence';
import type { CheckpointEntry, CheckpointStatus } from '../../../shared/checkpointStatus';
import { CHECKPOINT_LIMITS } from '../../../shared/checkpointStatus';

/** What the monitor knows after its looks, on the instance's clock (`nowMs`). */
export interface StatusInput {
  readonly state: CheckpointStatus['state'];
  readonly root: string;
  readonly tracked: readonly TrackedCheckpoint[];
  readonly latest: Checkpoint | undefined;
  readonly overdue: OverdueStatus | undefined;
  readonly nowMs: number;
  readonly scannedAtMs: number | undefined;
  readonly truncated: boolean;
  readonly error: string | undefined;
  readonly newestDownloaded: boolean;
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

export function entryOf(c: Checkpoint, nowMs: number): CheckpointEntry {
  return {
    path: clip(c.path, CHECKPOINT_LIMITS.maxPathLength),
    format: c.format,
    kind: c.kind,
    ...(c.step !== undefined && Number.isInteger(c.step) && c.step >= 0 ? { step: c.step } : {}),
    sizeBytes: Math.max(0, c.sizeBytes),
    // A file stamped in the future (clock skew, touch -d) reads as just written, never as a negative age.
    ageMs: Math.max(0, nowMs - c.mtimeMs),
  };
}

/** The dashboard's checkpoint section: pure, so its shape is tested without timers or a connection. */
export function checkpointStatusView(i: StatusInput): CheckpointStatus {
  const byNewest = [...i.tracked].sort((a, b) => b.checkpoint.mtimeMs - a.checkpoint.mtimeMs);
  const writing = byNewest.filter((t) => t.state === 'writing').slice(0, CHECKPOINT_LIMITS.maxListed);
  const recent = byNewest.filter((t) => t.state !== 'writing').slice(0, CHECKPOINT_LIMITS.maxListed);
  const o = i.overdue;
  return {
    state: i.state,
    root: clip(i.root, CHECKPOINT_LIMITS.maxRootLength),
    ...(i.latest ? { newest: entryOf(i.latest, i.nowMs) } : {}),
    writing: writing.map((t) => entryOf(t.checkpoint, i.nowMs)),
    recent: recent.map((t) => entryOf(t.checkpoint, i.nowMs)),
    ...(o?.cadenceMs !== undefined ? { cadenceMs: o.cadenceMs } : {}),
    ...(o?.overdue ? { overdue: { why: o.why, forMs: Math.max(0, i.nowMs - o.dueAtMs) } } : {}),
    truncated: i.truncated,
    ...(i.scannedAtMs !== undefined ? { scannedAgoMs: Math.max(0, i.nowMs - i.scannedAtMs) } : {}),
    ...(i.error !== undefined ? { error: clip(i.error, CHECKPOINT_LIMITS.maxErrorLength) } : {}),
    newestDownloaded: i.newestDownloaded,
  };
}
