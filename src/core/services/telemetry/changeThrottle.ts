import type { Clock } from '../../providers/time';
import type { TimerHandle, Timers } from './ports';

/**
 * Rate-limits change notifications in two classes. A new sample fires at once unless another sample fired less than
 * `gapMs` ago (then it waits out the rest of the gap), so a sample is never held back by an unrelated change and
 * latency stays at zero. Other changes (state, process list) are coalesced into at most one call per `gapMs`, and a
 * sample that fires meanwhile carries them along.
 */
export class ChangeThrottle {
  private lastFire = Number.NEGATIVE_INFINITY;
  private lastSampleFire = Number.NEGATIVE_INFINITY;
  private timer: TimerHandle | undefined;
  private timerForSample = false;

  constructor(
    private readonly deps: { readonly clock: Clock; readonly timers: Timers },
    private gapMs: number,
    private readonly fire: () => void,
  ) {}

  setGap(gapMs: number): void {
    this.gapMs = gapMs;
  }

  sample(): void {
    const wait = this.lastSampleFire + this.gapMs - this.deps.clock.now();
    if (wait <= 0) return this.fireNow(true);
    if (this.timer !== undefined && this.timerForSample) return;
    this.schedule(wait, true);
  }

  other(): void {
    if (this.timer !== undefined) return;
    const wait = this.lastFire + this.gapMs - this.deps.clock.now();
    if (wait <= 0) return this.fireNow(false);
    this.schedule(wait, false);
  }

  dispose(): void {
    this.cancel();
  }

  private schedule(wait: number, forSample: boolean): void {
    this.cancel();
    this.timerForSample = forSample;
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = undefined;
      this.fireNow(forSample);
    }, wait);
  }

  private fireNow(forSample: boolean): void {
    this.cancel();
    const now = this.deps.clock.now();
    this.lastFire = now;
    if (forSample) this.lastSampleFire = now;
    this.fire();
  }

  private cancel(): void {
    if (this.timer !== undefined) this.deps.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
