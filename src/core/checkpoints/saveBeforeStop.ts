import { RemoteGpuError } from '../errors';
import type { RemoteExec } from '../remote/remoteCommand';
import type { Checkpoint } from './checkpoint';
import type { SaveBeforeStop } from './checkpointSettings';
import { normaliseRoot } from './findScan';
import { WritingTracker } from './writingTracker';
import { t } from '../../shared/l10n';

/** Time as a port, so a 10-minute wait is tested in microseconds. */
export interface WaitClock {
  now(): number;
  /** Resolves after ms; rejects with a cancelled RemoteGpuError when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface SaveBeforeStopDeps {
  readonly exec: RemoteExec;
  /** One look at the instance's checkpoints (a scan + recognise), same clock as their mtimes where possible. */
  look(signal?: AbortSignal): Promise<readonly Checkpoint[]>;
  readonly clock: WaitClock;
}

export interface SaveWaitProgress {
  readonly phase: 'requesting' | 'waiting';
  readonly elapsedMs: number;
  readonly remainingMs: number;
}

export interface SaveBeforeStopOptions {
  readonly config: SaveBeforeStop;
  readonly waitMs: number;
  /** Between looks; default 10 s. */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  /** For the warning that shows the wait ("waiting for a checkpoint, 7:12 left"). */
  onProgress?(p: SaveWaitProgress): void;
}

export type SaveOutcome =
  | { readonly outcome: 'off' }
  | { readonly outcome: 'saved'; readonly checkpoint: Checkpoint; readonly waitedMs: number }
  | { readonly outcome: 'timedOut'; readonly waitedMs: number };

function newestMtime(cs: readonly Checkpoint[]): number {
  return cs.reduce((m, c) => Math.max(m, c.mtimeMs), Number.NEGATIVE_INFINITY);
}

async function request(exec: RemoteExec, config: Exclude<SaveBeforeStop, { mode: 'off' }>, signal?: AbortSignal): Promise<void> {
  // Both go through argv, so a configured path or argument is quoted like any other; '--' keeps a leading '-' a name.
  const argv = config.mode === 'command' ? config.argv : ['touch', '--', normaliseRoot(config.path)];
  const r = await exec.exec(argv, { ...(signal ? { signal } : {}), timeoutMs: 60_000 });
  if (r.code !== 0) {
    const exit = String(r.code ?? r.signal);
    const message = config.mode === 'command' ? t('The save-before-stop command failed (exit {0}).', exit) : t('Touching the save trigger file failed (exit {0}).', exit);
    throw new RemoteGpuError('remoteFailed', message, r.stderr.slice(0, 2000));
  }
}

/**
 * Asks the job to save (run the configured command or touch the trigger file), then waits, bounded, for a checkpoint
 * newer than the newest one before the request that is also finished (unchanged across two looks). Rejects only for
 * a failed request or a cancel; running out of time is an outcome, and the caller decides whether to stop anyway.
 */
export async function saveBeforeStop(deps: SaveBeforeStopDeps, o: SaveBeforeStopOptions): Promise<SaveOutcome> {
  if (o.config.mode === 'off') return { outcome: 'off' };
  const started = deps.clock.now();
  const progress = (phase: SaveWaitProgress['phase']): void => {
    const elapsedMs = deps.clock.now() - started;
    o.onProgress?.({ phase, elapsedMs, remainingMs: Math.max(0, o.waitMs - elapsedMs) });
  };
  const tracker = new WritingTracker();
  progress('requesting');
  const baseline = newestMtime(await deps.look(o.signal));
  await request(deps.exec, o.config, o.signal);
  const pollMs = o.pollMs ?? 10_000;
  for (;;) {
    const look = tracker.observe(await deps.look(o.signal));
    const done = look.checkpoints.find((t) => t.state === 'stable' && t.checkpoint.mtimeMs > baseline);
    const waitedMs = deps.clock.now() - started;
    if (done) return { outcome: 'saved', checkpoint: done.checkpoint, waitedMs };
    if (waitedMs >= o.waitMs) return { outcome: 'timedOut', waitedMs };
    progress('waiting');
    await deps.clock.sleep(Math.min(pollMs, o.waitMs - waitedMs), o.signal);
  }
}
