import type { SshHost } from '../../hosts/sshHost';
import type { Logger } from '../../logger';
import type { Clock, Random } from '../../providers/time';
import type { BackoffPolicy } from '../../telemetry/backoff';
import { DEFAULT_RECONNECT_POLICY, ReconnectBackoff } from '../../telemetry/backoff';
import type { HostSample } from '../../telemetry/sampleGrouper';
import type { GpuSample } from '../../telemetry/sampleParser';
import type { StreamEvent, StreamState } from '../../telemetry/streamState';
import { initialStreamState, reduceStreamState } from '../../telemetry/streamState';
import type { ProcessesView } from '../../../shared/telemetryProtocol';
import type { Failure } from './failures';
import { toStreamError } from './failures';
import type { ConnectTelemetry, TimerHandle, Timers } from './ports';
import type { SessionOutcome } from './streamSession';
import { StreamSession } from './streamSession';
import type { FieldCache } from './streamSetup';

/** Retry interval for failures only a person can fix (no nvidia-smi, no driver, key refused): rare, but not never. */
export const PERMANENT_RETRY_MS = 300_000;

export interface SupervisorConfig {
  readonly host: SshHost;
  readonly connect: ConnectTelemetry;
  readonly fieldCache: FieldCache;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly random: Random;
  readonly log: Logger;
  readonly appsIntervalMs: number;
  readonly timeoutMs: number;
  readonly backoff?: BackoffPolicy;
  readonly permanentRetryMs?: number;
  /** A tick of samples arrived (local receive time is the clock's now). */
  readonly onSample: (sample: HostSample) => void;
  /** The stream state changed. */
  readonly onChange: () => void;
  /** The process list (or what is known about it) may have changed. */
  readonly onAppsChange: () => void;
}

/**
 * Keeps a host's streams running while started: one StreamSession at a time, replaced after it ends, with capped
 * exponential backoff and jitter after failures (a long fixed interval for permanent ones) and an immediate restart
 * after a field was dropped. Feeds every lifecycle event to reduceStreamState.
 */
export class StreamSupervisor {
  private current: StreamState;
  private session: StreamSession | undefined;
  private retryTimer: TimerHandle | undefined;
  private readonly backoff: ReconnectBackoff;
  private active = false;
  private sampledThisSession = false;

  constructor(
    private readonly cfg: SupervisorConfig,
    private intervalMs: number,
  ) {
    this.current = initialStreamState(cfg.clock.now());
    this.backoff = new ReconnectBackoff({ random: cfg.random, clock: cfg.clock }, cfg.backoff ?? DEFAULT_RECONNECT_POLICY);
  }

  get state(): StreamState {
    return this.current;
  }

  get running(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.backoff.reset();
    this.launch();
  }

  /** Stops the streams (closing their channels) and any scheduled retry; the state becomes `stopped`. */
  stop(): void {
    if (!this.active) return;
    this.active = false;
    this.dropSession();
    this.backoff.reset();
    this.emit({ type: 'closed', at: this.cfg.clock.now() });
  }

  /** Starts a fresh session now (new interval, or the user pressed Retry); the backoff starts over. */
  restart(intervalMs: number = this.intervalMs): void {
    this.intervalMs = intervalMs;
    if (!this.active) return;
    this.dropSession();
    this.backoff.reset();
    this.launch();
  }

  /** Moves the clock of the state on, which is how live turns stale. */
  tick(): void {
    this.current = reduceStreamState(this.current, { type: 'tick', now: this.cfg.clock.now() }, { intervalMs: this.intervalMs });
  }

  processes(now: number, gpus: readonly GpuSample[]): ProcessesView {
    return this.session?.processes(now, gpus) ?? { kind: 'unavailable' };
  }

  private launch(): void {
    this.retryTimer = undefined;
    this.sampledThisSession = false;
    this.emit({ type: 'connecting', at: this.cfg.clock.now() });
    const session: StreamSession = new StreamSession({
      host: this.cfg.host,
      connect: this.cfg.connect,
      fieldCache: this.cfg.fieldCache,
      intervalMs: this.intervalMs,
      appsIntervalMs: this.cfg.appsIntervalMs,
      timeoutMs: this.cfg.timeoutMs,
      clock: this.cfg.clock,
      log: this.cfg.log,
      events: {
        connected: () => this.whenCurrent(session, () => this.emit({ type: 'connected', at: this.cfg.clock.now() })),
        sample: (s) => this.whenCurrent(session, () => this.onSample(s)),
        appsChanged: () => this.whenCurrent(session, () => this.cfg.onAppsChange()),
        ended: (outcome) => this.whenCurrent(session, () => this.onEnded(outcome)),
      },
    });
    this.session = session;
    void session.start();
  }

  private whenCurrent(session: StreamSession, fn: () => void): void {
    if (this.active && this.session === session) fn();
  }

  private onSample(sample: HostSample): void {
    if (!this.sampledThisSession) {
      this.sampledThisSession = true;
      // A sample, not an open channel, proves the stream works; the backoff count is kept until it stays up.
      this.backoff.connected();
    }
    this.current = reduceStreamState(this.current, { type: 'sample', at: this.cfg.clock.now() }, { intervalMs: this.intervalMs });
    this.cfg.onSample(sample);
  }

  private onEnded(outcome: SessionOutcome): void {
    this.session = undefined;
    if (outcome.kind === 'restart') {
      this.cfg.log.info(`${this.cfg.host.label}: restarting the stream (${outcome.why})`);
      this.emit({ type: 'closed', at: this.cfg.clock.now(), retryInMs: 0 });
      this.launch();
      return;
    }
    if (outcome.kind === 'dropped') {
      this.reconnectQuietly(outcome.why);
      return;
    }
    this.scheduleRetry(outcome.failure);
  }

  /**
   * The connection went away under a session: reconnect with no error in the state. At once when the stream had
   * been delivering (it worked, the connection was taken from it); after the backoff when it had not, so a
   * connection that keeps being dropped cannot spin.
   */
  private reconnectQuietly(why: string): void {
    const delay = this.sampledThisSession ? 0 : this.backoff.next();
    this.cfg.log.info(`${this.cfg.host.label}: connection closed under the stream (${why}); reconnecting in ${delay} ms`);
    this.emit({ type: 'closed', at: this.cfg.clock.now(), retryInMs: delay });
    this.retryTimer = this.cfg.timers.setTimeout(() => {
      if (this.active && this.session === undefined) this.launch();
    }, delay);
  }

  private scheduleRetry(failure: Failure): void {
    const delay = failure.permanent ? (this.cfg.permanentRetryMs ?? PERMANENT_RETRY_MS) : this.backoff.next();
    const { error } = failure;
    const detail = error.detail ? ` (${error.detail})` : '';
    this.cfg.log.warn(`${this.cfg.host.label}: stream failed: ${error.message}${detail}; retrying in ${delay} ms`);
    this.emit({ type: 'error', at: this.cfg.clock.now(), error: toStreamError(error), retryInMs: delay });
    this.retryTimer = this.cfg.timers.setTimeout(() => {
      if (this.active && this.session === undefined) this.launch();
    }, delay);
  }

  private dropSession(): void {
    this.session?.close();
    this.session = undefined;
    if (this.retryTimer !== undefined) this.cfg.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private emit(event: StreamEvent): void {
    this.current = reduceStreamState(this.current, event, { intervalMs: this.intervalMs });
    this.cfg.onChange();
  }
}
