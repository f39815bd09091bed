import type { DetailedCheckpoint } from '../../core/checkpoints/checkpointDetails';
import type { CheckpointSettings } from '../../core/checkpoints/checkpointSettings';
import { WritingTracker } from '../../core/checkpoints/writingTracker';
import { cancelledError } from '../sshErrors';
import type { SshConnection } from '../sshConnection';
import { lookAtCheckpoints } from './checkpointScanner';
import type { CheckpointLook } from './checkpointScanner';

export interface LatestOptions {
  readonly signal?: AbortSignal;
  /** Between the two looks; long enough for a save in progress to grow. Default 1.5 s. */
  readonly gapMs?: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError('checkpoint look'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError('checkpoint look'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The newest checkpoint that is not being written, from two looks a moment apart: a file still growing between them
 * is passed over for the newest one that held still (what Download Latest Checkpoint must fetch).
 */
export async function latestFinishedCheckpoint(conn: SshConnection, settings: CheckpointSettings, o: LatestOptions = {}): Promise<{ look: CheckpointLook; latest: DetailedCheckpoint | undefined }> {
  const tracker = new WritingTracker();
  const sig = o.signal ? { signal: o.signal } : {};
  tracker.observe((await lookAtCheckpoints(conn, settings, sig)).checkpoints);
  await sleep(o.gapMs ?? 1_500, o.signal);
  const look = await lookAtCheckpoints(conn, settings, sig);
  const latest = tracker.observe(look.checkpoints).latest;
  return { look, latest: look.checkpoints.find((c) => c === latest) };
}
