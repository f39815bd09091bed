import type { SshHost } from '../../hosts/sshHost';
import type { Logger } from '../../logger';
import type { Clock, Random } from '../../providers/time';
import type { BackoffPolicy } from '../../telemetry/backoff';
import { buildSnapshot } from '../../telemetry/dashboardSnapshot';
import { HostHistory } from '../../telemetry/history';
import type { HostSample } from '../../telemetry/sampleGrouper';
import type { GpuSample } from '../../telemetry/sampleParser';
import { clampIntervalMs, DEFAULT_APPS_INTERVAL_MS, DEFAULT_INTERVAL_MS } from '../../telemetry/streamCommand';
import type { StreamState } from '../../telemetry/streamState';
import { staleAfterMs, toConnectionView } from '../../telemetry/streamState';
import type { SnapshotMessage } from '../../../shared/dashboardMessages';
import type { HistoryWindow } from '../../../shared/gpuMetrics';
import type { ConnectionView, ProcessesView } from '../../../shared/telemetryProtocol';
import { ChangeThrottle } from './changeThrottle';
import type { ConnectTelemetry, TimerHandle, Timers } from './ports';
import { StreamSupervisor } from './streamSupervisor';
import type { FieldCache } from './streamSetup';

/** What the tree, the status bar and onChange listeners read: the newest values, cheap to get. */
export interface TelemetryView {
  readonly state: StreamState;
  readonly connection: ConnectionView;
  /** The newest sample of each GPU seen on this host, by index. Kept through outages: check `state` for freshness. */
  readonly gpus: readonly GpuSample[];
  readonly processes: ProcessesView;
  readonly intervalMs: number;
}

export interface HostTelemetryDeps {
  readonly connect: ConnectTelemetry;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly random: Random;
  readonly logger: Logger;
  /** Shared by every host (TelemetryHub): one `--help-query-gpu` per driver version, not per host. */
  readonly fieldCache: FieldCache;
  /** The last consumer let go (the hub forgets a gone host then, not while a dashboard still shows it). */
  readonly onIdle?: () => void;
}

export interface HostTelemetryOptions {
  /** Sampling interval, clamped to 100..60000 ms; default 1 s. */
  readonly intervalMs?: number;
  /** Process-list stream interval; default 5 s. */
  readonly appsIntervalMs?: number;
  /** Deadline of each setup command (driver version, help, date, ps); default 20 s. */
  readonly commandTimeoutMs?: number;
  readonly backoff?: BackoffPolicy;
  /** Retry interval after a failure that will not fix itself; default 5 min. */
  readonly permanentRetryMs?: number;
}

type Listener = (view: TelemetryView) => void;

/** Tick period while not live: the age of the last sample and the retry countdown move on once a second. */
const TICK_MS = 1_000;

/**
 * Live telemetry of one host. Streams run only while at least one consumer holds it (`acquire`); history survives a
 * stop, so a dashboard opened again shows the earlier data with the outage as a gap. Times in history and state are
 * the local receive clock.
 */
export class HostTelemetry {
  private readonly consumers = new Map<string, number>();
  private readonly listeners = new Set<Listener>();
  private readonly latestByGpu = new Map<string, GpuSample>();
  private readonly supervisor: StreamSupervisor;
  private readonly throttle: ChangeThrottle;
  private readonly log: Logger;
  private history: HostHistory;
  private interval: number;
  private readonly appsIntervalMs: number;
  private tickTimer: TimerHandle | undefined;
  private lastTickKey = '';
  private disposed = false;

  constructor(
    readonly host: SshHost,
    private readonly deps: HostTelemetryDeps,
    options: HostTelemetryOptions = {},
  ) {
    this.interval = clampIntervalMs(options.intervalMs ?? DEFAULT_INTERVAL_MS);
    this.appsIntervalMs = options.appsIntervalMs ?? DEFAULT_APPS_INTERVAL_MS;
    this.history = new HostHistory(this.interval);
    this.log = deps.logger.child('telemetry');
    this.throttle = new ChangeThrottle(deps, this.interval / 2, () => this.notify());
    this.supervisor = new StreamSupervisor(
      {
        host,
        connect: deps.connect,
        fieldCache: deps.fieldCache,
        clock: deps.clock,
        timers: deps.timers,
        random: deps.random,
        log: this.log,
        appsIntervalMs: this.appsIntervalMs,
        timeoutMs: options.commandTimeoutMs ?? 20_000,
        ...(options.backoff ? { backoff: options.backoff } : {}),
        ...(options.permanentRetryMs !== undefined ? { permanentRetryMs: options.permanentRetryMs } : {}),
        onSample: (s) => this.onSample(s),
        onChange: () => this.throttle.other(),
        onAppsChange: () => this.onAppsChange(),
      },
      this.interval,
    );
  }

  get intervalMs(): number {
    return this.interval;
  }

  /** True while some consumer holds this host. */
  get inUse(): boolean {
    return this.consumers.size > 0;
  }

  /** True while streams are wanted (some consumer holds this host). */
  get running(): boolean {
    return this.supervisor.running;
  }

  /**
   * Registers a consumer (a dashboard, the status bar, the idle monitor). The first one starts the streams; when the
   * last one releases, they stop and their SSH channels close. The returned release is safe to call more than once.
   */
  acquire(consumerId: string): () => void {
    if (this.disposed) return () => undefined;
    this.consumers.set(consumerId, (this.consumers.get(consumerId) ?? 0) + 1);
    if (!this.supervisor.running) this.startStreams();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(consumerId);
    };
  }

  /** Called with the newest view on every change, at most once per half interval per kind (see ChangeThrottle). */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  latest(): TelemetryView {
    this.supervisor.tick();
    const state = this.supervisor.state;
    const gpus = this.gpus();
    return { state, connection: toConnectionView(state), gpus, processes: this.supervisor.processes(this.deps.clock.now(), gpus), intervalMs: this.interval };
  }

  /** The full dashboard snapshot for a chart window. */
  snapshot(window: HistoryWindow, hostLabel: string = this.host.label): SnapshotMessage {
    const view = this.latest();
    const newest: HostSample | undefined = view.gpus.length === 0 ? undefined : { t: Math.max(...view.gpus.map((g) => g.t)), gpus: view.gpus, partial: false };
    return buildSnapshot({
      host: { id: this.host.id, label: hostLabel },
      intervalMs: this.interval,
      window,
      now: view.state.now,
      state: view.state,
      latest: newest,
      history: this.history,
      processes: view.processes,
    });
  }

  /** A new interval restarts the stream and starts a new history (its ring is sized for the interval). */
  setInterval(intervalMs: number): void {
    const next = clampIntervalMs(intervalMs);
    if (next === this.interval || this.disposed) return;
    this.interval = next;
    this.history = new HostHistory(next);
    this.throttle.setGap(next / 2);
    this.supervisor.restart(next);
    if (this.tickTimer !== undefined) this.scheduleTick();
  }

  /** Reconnects now instead of waiting out the backoff (the dashboard's Retry). */
  retry(): void {
    if (this.supervisor.running) this.supervisor.restart();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.consumers.clear();
    this.stopStreams();
    this.throttle.dispose();
    this.listeners.clear();
  }

  private release(consumerId: string): void {
    const count = (this.consumers.get(consumerId) ?? 0) - 1;
    if (count > 0) this.consumers.set(consumerId, count);
    else this.consumers.delete(consumerId);
    if (this.consumers.size === 0) {
      this.stopStreams();
      this.deps.onIdle?.();
    }
  }

  private startStreams(): void {
    this.supervisor.start();
    this.scheduleTick();
  }

  private stopStreams(): void {
    if (this.tickTimer !== undefined) this.deps.timers.clearTimeout(this.tickTimer);
    this.tickTimer = undefined;
    this.supervisor.stop();
  }

  private onSample(sample: HostSample): void {
    this.history.push(sample, this.deps.clock.now());
    for (const gpu of sample.gpus) this.latestByGpu.set(gpu.uuid, gpu);
    if (this.tickTimer !== undefined) this.scheduleTick(staleAfterMs(this.interval) + 1);
    this.throttle.sample();
  }

  /**
   * While live and sampling at least as often as the process list, the next sample's call (within one interval)
   * carries the new list: a call of its own would only add a timer wake-up per host every few seconds.
   */
  private onAppsChange(): void {
    if (this.supervisor.state.phase === 'live' && this.interval <= this.appsIntervalMs) return;
    this.throttle.other();
  }

  private gpus(): GpuSample[] {
    return [...this.latestByGpu.values()].sort((a, b) => a.index - b.index);
  }

  /**
   * Moves the state on without any event, which is how live turns stale. While samples flow, each one pushes the
   * tick out to the stale deadline, so a live host costs no timer wake-ups (16 hosts would otherwise wake the
   * extension host 16 times a second for nothing); otherwise it ticks every second, for the age and the countdown.
   * Listeners hear of a tick when the phase or the process list changed, and on every tick while stale or
   * waiting to retry.
   */
  private scheduleTick(delayMs: number = TICK_MS): void {
    if (this.tickTimer !== undefined) this.deps.timers.clearTimeout(this.tickTimer);
    this.tickTimer = this.deps.timers.setTimeout(() => this.onTick(), delayMs);
  }

  private onTick(): void {
    this.tickTimer = undefined;
    if (!this.supervisor.running) return;
    const view = this.latest();
    const key = `${view.state.phase}|${JSON.stringify(view.processes)}`;
    // A first attempt waiting to retry is `connecting` with a countdown, which moves like a reconnect's.
    const moving = view.state.phase === 'stale' || view.state.phase === 'reconnecting' || view.state.retryAt !== undefined;
    if (key !== this.lastTickKey || moving) this.throttle.other();
    this.lastTickKey = key;
    this.scheduleTick(view.state.phase === 'live' ? this.untilStale(view.state) : TICK_MS);
  }

  private untilStale(state: StreamState): number {
    const deadline = (state.lastSampleAt ?? state.now) + staleAfterMs(this.interval) + 1;
    return Math.max(TICK_MS, deadline - state.now);
  }

  private notify(): void {
    if (this.listeners.size === 0) return;
    const view = this.latest();
    for (const listener of [...this.listeners]) {
      try {
        listener(view);
      } catch (e) {
        this.log.error(`${this.host.label}: a telemetry listener failed`, e);
      }
    }
  }
}
