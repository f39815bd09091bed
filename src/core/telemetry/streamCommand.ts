/** The sampling interval bounds of issue 3: 100 ms to 60 s, 1 s by default. */
export const MIN_INTERVAL_MS = 100;
export const MAX_INTERVAL_MS = 60_000;
export const DEFAULT_INTERVAL_MS = 1_000;

/** The process list changes slowly and costs more to collect, so it streams on its own, slower loop. */
export const DEFAULT_APPS_INTERVAL_MS = 5_000;

/** The `--query-compute-apps` fields, in the order computeApps.ts reads them. All exist in every supported driver. */
export const COMPUTE_APPS_FIELDS = ['timestamp', 'gpu_uuid', 'pid', 'process_name', 'used_memory'] as const;

// Field names reach the remote argv. They come from our catalogue or the driver's own help, but a name that is not a
// plain dotted identifier would still be refused here rather than passed on.
const FIELD_NAME = /^[A-Za-z0-9_.]+$/;

/** Rounds and clamps an interval into 100..60000 ms; anything not a finite number becomes the default. */
export function clampIntervalMs(intervalMs: number): number {
  if (!Number.isFinite(intervalMs)) return DEFAULT_INTERVAL_MS;
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, Math.round(intervalMs)));
}

/**
 * argv of the one long-lived GPU stream of a host:
 * `nvidia-smi --query-gpu=a,b,c --format=csv,noheader,nounits -lms 1000`. One process per host, one row per GPU
 * per tick: about 17x cheaper on the GPU host than spawning nvidia-smi per sample (fixture README, timing.txt).
 */
export function buildGpuStreamArgv(fields: readonly string[], intervalMs: number): string[] {
  return ['nvidia-smi', `--query-gpu=${joinFields(fields)}`, '--format=csv,noheader,nounits', '-lms', String(clampIntervalMs(intervalMs))];
}

/**
 * argv of the process-list stream. nvidia-smi prints nothing for a tick with no process, which is why
 * ComputeAppsTracker infers "none" from silence rather than from an empty row.
 */
export function buildComputeAppsArgv(intervalMs: number = DEFAULT_APPS_INTERVAL_MS): string[] {
  return ['nvidia-smi', `--query-compute-apps=${joinFields(COMPUTE_APPS_FIELDS)}`, '--format=csv,noheader,nounits', '-lms', String(clampIntervalMs(intervalMs))];
}

function joinFields(fields: readonly string[]): string {
  if (fields.length === 0) throw new TypeError('A query needs at least one field.');
  for (const f of fields) if (!FIELD_NAME.test(f)) throw new TypeError(`Not a field name: ${JSON.stringify(f).slice(0, 80)}`);
  return fields.join(',');
}
