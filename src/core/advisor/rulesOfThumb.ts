/**
 * Plain-language advice beside the numbers, as codes the UI words (and translates). Rules: under a week of work,
 * on-demand (no commitment pays off that fast); longer runs, reserved capacity or spot with checkpoints; spot only
 * when checkpoints come more often than interruptions, or an interruption loses more than the discount saves.
 */
export type AdviceCode =
  | 'shortRunOnDemand'
  | 'longRunReservedOrSpot'
  | 'spotNeedsCheckpoints'
  | 'spotCadenceOk'
  | 'spotCadenceTooSlow'
  | 'modelParallelNeedsFastLinks'
  | 'estimateNotMeasurement';

export interface AdviceInput {
  /** How long the work runs in total, in hours, if the user said. */
  readonly expectedHours?: number;
  /** Minutes between checkpoints, if known (the checkpoint issue measures it). */
  readonly checkpointCadenceMinutes?: number;
  /** Expected minutes between spot interruptions; 120 by default (a conservative figure for GPU spot capacity). */
  readonly spotInterruptionMinutes?: number;
  /** The chosen fit needs more than one GPU through tensor or pipeline parallelism. */
  readonly modelParallelGpus?: number;
}

export interface Advice {
  readonly code: AdviceCode;
  readonly values: Readonly<Record<string, number>>;
}

const WEEK_HOURS = 7 * 24;
export const DEFAULT_SPOT_INTERRUPTION_MINUTES = 120;

export function rulesOfThumb(input: AdviceInput): Advice[] {
  const advice: Advice[] = [];
  const hours = input.expectedHours;
  if (hours !== undefined && hours < WEEK_HOURS) advice.push({ code: 'shortRunOnDemand', values: { hours } });
  else advice.push({ code: 'longRunReservedOrSpot', values: { hours: hours ?? WEEK_HOURS } });
  const interruption = input.spotInterruptionMinutes ?? DEFAULT_SPOT_INTERRUPTION_MINUTES;
  const cadence = input.checkpointCadenceMinutes;
  if (cadence === undefined) advice.push({ code: 'spotNeedsCheckpoints', values: { interruptionMinutes: interruption } });
  else if (cadence < interruption) advice.push({ code: 'spotCadenceOk', values: { cadenceMinutes: cadence, interruptionMinutes: interruption } });
  else advice.push({ code: 'spotCadenceTooSlow', values: { cadenceMinutes: cadence, interruptionMinutes: interruption } });
  if ((input.modelParallelGpus ?? 1) > 1) advice.push({ code: 'modelParallelNeedsFastLinks', values: { gpus: input.modelParallelGpus ?? 1 } });
  advice.push({ code: 'estimateNotMeasurement', values: {} });
  return advice;
}
