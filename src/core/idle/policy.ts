/**
 * The numbers of the idle rule, shared by the extension's reducer (idleReducer.ts) and the watchdog script generated
 * for the instance (src/core/watchdog), so both judge a box the same way.
 */
export interface IdlePolicy {
  /** A GPU at or above this utilisation (percent) is working. Memory held is never looked at. */
  readonly gpuBusyPercent: number;
  /**
   * Utilisation is judged per bucket of this length, not per sample: a bucket is busy when at least `gpuBusyShare`
   * of its ticks have some GPU at or above the threshold. A checkpoint dip (a few ticks at 0 % inside a minute of
   * 100 %) leaves the bucket busy; one stray spike in a quiet minute leaves it quiet. A bucket without samples could
   * not be measured and counts as busy.
   */
  readonly bucketMs: number;
  readonly gpuBusyShare: number;
  /** GPUs (and progress) quiet this long: idle. */
  readonly idleWindowMs: number;
  /** A person's activity keeps the instance for this (shorter) window. An open window alone is not activity. */
  readonly personWindowMs: number;
  /** The warning comes this long before the stop. */
  readonly warnAheadMs: number;
  /** "Keep 30 min". */
  readonly keepMs: number;
  /** Maximum runtime since launch; undefined = off (the default). */
  readonly maxRuntimeMs?: number;
}

const MINUTE = 60_000;

export const DEFAULT_IDLE_POLICY: IdlePolicy = {
  gpuBusyPercent: 5,
  bucketMs: MINUTE,
  gpuBusyShare: 0.1,
  idleWindowMs: 30 * MINUTE,
  personWindowMs: 15 * MINUTE,
  warnAheadMs: 10 * MINUTE,
  keepMs: 30 * MINUTE,
};

/** A window is judged in at least this many buckets, so one bucket is never the whole verdict. */
const BUCKETS_PER_SHORT_WINDOW = 5;
/** Under a second a bucket would hold a single 1 Hz sample and the share rule would mean nothing. */
const MIN_BUCKET_MS = 1000;

/**
 * The bucket for a window: a minute, or a fifth of a window shorter than five minutes (a demo or a test with a window
 * of seconds), never under a second. With one-minute buckets a 15 s window could never be judged quiet; with a fifth
 * of it, a checkpoint dip still sits inside a bucket of mostly busy ticks and leaves it busy.
 */
export function bucketMsFor(idleWindowMs: number): number {
  return Math.max(MIN_BUCKET_MS, Math.min(MINUTE, Math.floor(idleWindowMs / BUCKETS_PER_SHORT_WINDOW)));
}

/** Refuses numbers that would make the rule meaningless (a window shorter than a bucket, a warning after the stop). */
export function validateIdlePolicy(p: IdlePolicy): string[] {
  const problems: string[] = [];
  const positive = (name: string, v: number) => {
    if (!Number.isFinite(v) || v <= 0) problems.push(`${name} must be a positive number`);
  };
  positive('bucketMs', p.bucketMs);
  positive('idleWindowMs', p.idleWindowMs);
  positive('personWindowMs', p.personWindowMs);
  positive('keepMs', p.keepMs);
  if (!(p.gpuBusyPercent >= 0 && p.gpuBusyPercent <= 100)) problems.push('gpuBusyPercent must be within 0..100');
  if (!(p.gpuBusyShare > 0 && p.gpuBusyShare <= 1)) problems.push('gpuBusyShare must be within (0, 1]');
  if (!(p.warnAheadMs >= 0) || p.warnAheadMs >= p.idleWindowMs) problems.push('warnAheadMs must be under idleWindowMs');
  if (p.idleWindowMs < p.bucketMs) problems.push('idleWindowMs must be at least one bucket');
  if (p.maxRuntimeMs !== undefined) positive('maxRuntimeMs', p.maxRuntimeMs);
  return problems;
}
