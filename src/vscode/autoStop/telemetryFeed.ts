import { observationFromSample } from '../../core/idle/fromTelemetry';
import type { IdleObservation } from '../../core/idle/idleTypes';
import type { TelemetryView } from '../../core/services/telemetry/hostTelemetry';

/**
 * Turns the telemetry's change notifications into idle observations, each sample once. A host that is live gives
 * its newest tick once every GPU reported in it; a stale or reconnecting stream, or a first connect waiting to retry, gives
 * "cannot measure", which the rule counts as busy. Pure apart from remembering the last tick it passed on.
 */
export class TelemetryFeed {
  private lastTick = -1;
  private lastUnavailable = -1;

  /** `now` only paces the "cannot measure" observations to one per interval. */
  next(view: TelemetryView, now: number): IdleObservation | undefined {
    if (view.state.phase === 'live' && view.gpus.length > 0) {
      // Rows of one tick arrive one GPU at a time: pass the tick on once every GPU has a row newer than the last one
      // passed. A GPU that stops reporting holds the others back, and its buckets then count as not measured (busy).
      if (Math.min(...view.gpus.map((g) => g.t)) <= this.lastTick) return undefined;
      const t = Math.max(...view.gpus.map((g) => g.t));
      this.lastTick = t;
      return observationFromSample({ t, gpus: view.gpus, partial: false });
    }
    // A first attempt still under way is not a measurement gap yet; one that failed and waits to retry is.
    if (view.state.phase === 'stopped' || (view.state.phase === 'connecting' && view.state.retryAt === undefined)) return undefined;
    if (now - this.lastUnavailable < view.intervalMs) return undefined;
    this.lastUnavailable = now;
    // `why` is for a developer reading the state (the rule keeps only "not measured"); no person sees it, so it is
    // not translated, like the log channel's lines. What a person reads is the GPU signal's translated report.
    return { kind: 'gpuUnavailable', why: `telemetry is ${view.state.phase}` };
  }
}
