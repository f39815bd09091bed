/**
 * A deadline that can be paused. The connect timeout pauses while a person reads the host-key prompt: a slow human is
 * not a slow server. Resuming restarts the full period, since the handshake only has milliseconds of work left.
 */
export class PausableTimer {
  private handle: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly ms: number,
    private readonly onExpire: () => void,
  ) {}

  start(): void {
    if (this.stopped) return;
    clearTimeout(this.handle);
    this.handle = setTimeout(this.onExpire, this.ms);
  }

  pause(): void {
    clearTimeout(this.handle);
  }

  /** For good: later start() calls do nothing, so a late prompt answer cannot revive a finished connect. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.handle);
  }
}
