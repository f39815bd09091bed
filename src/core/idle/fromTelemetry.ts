import type { HostSample } from '../telemetry/sampleGrouper';
import type { IdleObservation } from './idleTypes';

/**
 * One telemetry tick as an idle observation: utilisation only (memory held is not work). A tick missing a GPU or a
 * GPU without a utilisation reading could not be measured, which counts as busy.
 */
export function observationFromSample(sample: HostSample): IdleObservation {
  if (sample.partial || sample.gpus.length === 0) return { kind: 'gpuUnavailable', why: 'a GPU is missing from the sample' };
  const utilisationPercent = sample.gpus.map((g) => g.metrics.utilizationGpu ?? Number.NaN);
  if (utilisationPercent.some((u) => !Number.isFinite(u))) return { kind: 'gpuUnavailable', why: 'a GPU reports no utilisation' };
  return { kind: 'gpuSample', utilisationPercent };
}
