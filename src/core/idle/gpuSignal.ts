import type { IdlePolicy } from './policy';

/**
 * The GPU signal as a run of judged buckets. Only the bucket being filled and the start of the trailing quiet run
 * are kept, so the state is tiny and plain JSON (it is persisted to resume after a restart).
 */
export interface GpuSignalState {
  /** Start of the bucket being filled (aligned to bucketMs), or undefined before the first observation. */
  readonly bucketStart?: number;
  readonly ticks: number;
  readonly busyTicks: number;
  /** The bucket saw "cannot measure" (nvidia-smi failing, SSH down). */
  readonly unmeasured: boolean;
  /** Start of the trailing run of quiet buckets; undefined while the last judged bucket was busy or unmeasured. */
  readonly quietSince?: number;
  /** Why the last non-quiet bucket was not quiet, for the explanation. */
  readonly lastBusy?: { readonly at: number; readonly why: 'working' | 'unmeasured' };
}

export const INITIAL_GPU_SIGNAL: GpuSignalState = { ticks: 0, busyTicks: 0, unmeasured: false };

/** Closes every bucket that ended at or before `now`; empty buckets in between could not be measured. */
export function advanceGpu(s: GpuSignalState, now: number, p: IdlePolicy): GpuSignalState {
  if (s.bucketStart === undefined) return { ...s, bucketStart: align(now, p) };
  if (s.bucketStart + p.bucketMs > now) return s;
  const closed = closeBucket(s, p);
  const current = align(now, p);
  if (closed.bucketStart === current) return closed;
  // Whole buckets passed with no observation at all (VS Code asleep, telemetry stopped): they could not be measured.
  return { ...closed, bucketStart: current, quietSince: undefined, lastBusy: { at: current - p.bucketMs, why: 'unmeasured' } };
}

export function addGpuTick(s: GpuSignalState, utilisations: readonly number[], now: number, p: IdlePolicy): GpuSignalState {
  const state = advanceGpu(s, now, p);
  // No GPU in the sample (driver lost them) is "cannot measure", never quiet.
  if (utilisations.length === 0 || utilisations.some((u) => !Number.isFinite(u))) return { ...state, unmeasured: true };
  const busy = Math.max(...utilisations) >= p.gpuBusyPercent;
  return { ...state, ticks: state.ticks + 1, busyTicks: state.busyTicks + (busy ? 1 : 0) };
}

export function markUnmeasured(s: GpuSignalState, now: number, p: IdlePolicy): GpuSignalState {
  return { ...advanceGpu(s, now, p), unmeasured: true };
}

/** How long the GPUs have been judged quiet, counted in whole closed buckets. */
export function gpuQuietFor(s: GpuSignalState): number {
  if (s.quietSince === undefined || s.bucketStart === undefined) return 0;
  return s.bucketStart - s.quietSince;
}

function closeBucket(s: GpuSignalState, p: IdlePolicy): GpuSignalState {
  const start = s.bucketStart ?? 0;
  const next = { ticks: 0, busyTicks: 0, unmeasured: false, bucketStart: start + p.bucketMs };
  const unmeasured = s.unmeasured || s.ticks === 0;
  const busy = !unmeasured && s.busyTicks / s.ticks >= p.gpuBusyShare;
  if (unmeasured || busy) return { ...next, quietSince: undefined, lastBusy: { at: start, why: unmeasured ? 'unmeasured' : 'working' } };
  return { ...next, quietSince: s.quietSince ?? start, lastBusy: s.lastBusy };
}

function align(t: number, p: IdlePolicy): number {
  return Math.floor(t / p.bucketMs) * p.bucketMs;
}
