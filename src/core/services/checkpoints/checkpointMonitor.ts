import type { Checkpoint, ScanEntry } from '../../checkpoints/checkpoint';
import { CheckpointProgress, newCheckpointSince, overdueStatus } from '../../checkpoints/cadence';
import type { CheckpointSettings } from '../../checkpoints/checkpointSettings';
import type { LogGrowth } from '../../checkpoints/logGrowth';
import { LogProgress } from '../../checkpoints/logGrowth';
import type { LastDownload } from '../../checkpoints/terminateRule';
import type { TrackedCheckpoint } from '../../checkpoints/writingTracker';
import { WritingTracker } from '../../checkpoints/writingTracker';
import { toRemoteGpuError } from '../../errors';
import type { SshHost } from '../../hosts/sshHost';
import type { Logger } from '../../logger';
import type { CheckpointStatus } from '../../../shared/checkpointStatus';
import type { Timers, TimerHandle } from '../telemetry/ports';
import { checkpointStatusView } from './checkpointStatusView';

/** One look's answer, whichever way it ran (find or SFTP). */
export interface MonitorLook {
  readonly checkpoints: readonly Checkpoint[];
  /** The instance's clock at the scan; ages and "overdue" use it so a skewed laptop clock does not matter. */
  readonly remoteNowMs: number | undefined;
  readonly truncated: boolean;
  /** Log files the same scan listed (checkpoint settings' progressFiles); absent when none were asked for. */
  readonly logs?: readonly ScanEntry[];
}

/** Everything the monitor needs from outside, as ports (the VS Code side binds the pool, settings and telemetry). */
export interface CheckpointMonitorDeps {
  look(host: SshHost, settings: CheckpointSettings, signal: AbortSignal): Promise<MonitorLook>;
  /** The settings for this host with its project folder; undefined when no folder is known. */
  settings(host: SshHost): CheckpointSettings | undefined;
  /** Current GPU utilisations (%), or undefined when they cannot be measured (no telemetry running). */
  gpuUtilisations(host: SshHost): readonly number[] | undefined;
  lastDownload(host: SshHost): LastDownload | undefined;
  intervalMs(): number;
  readonly clock: { now(): number };
  readonly timers: Timers;
  readonly logger: Logger;
  /** `() => new AbortController()`: a port because the core is type-checked without DOM or Node globals. */
  newAbort(): Abort;
  /** A GPU at or above this utilisation counts as busy (the idle policy's default, 5 %). */
  readonly busyPercent?: number;
}

type Listener = () => void;

/** How long after the last busy sample the GPUs still count as busy for the overdue rule. */
export const BUSY_GRACE_MS = 120_000;

export interface Abort {
  readonly signal: AbortSignal;
  abort(): void;
}

/**
 * Scans one host's project folder on an interval while any consumer holds it (an open dashboard, an expanded tree
 * node, auto-stop): first consumer starts, last one stops and aborts a scan in flight. Each look goes through the
 * writing tracker, so the status always reflects two looks; the progress signal fires once per newer finished
 * checkpoint after the first look (an old file is not progress).
 */
export class HostCheckpointMonitor {
  private readonly consumers = new Map<string, number>();
  private readonly listeners = new Set<Listener>();
  private readonly progress = new CheckpointProgress();
  private readonly logProgress = new LogProgress();
  private tracker = new WritingTracker();
  private timer: TimerHandle | undefined;
  private abort: Abort | undefined;
  private tracked: readonly TrackedCheckpoint[] = [];
  private latestFinished: Checkpoint | undefined;
  private offsetMs = 0;
  private scannedAt: number | undefined;
  private truncated = false;
  private error: string | undefined;
  private root: string | undefined;
  private runStartedLocal: number | undefined;
  private lastBusyLocal: number | undefined;
  private disposed = false;

  constructor(
    readonly host: SshHost,
    private readonly deps: CheckpointMonitorDeps,
  ) {}

  get running(): boolean {
    return this.consumers.size > 0;
  }

  /** Registers a consumer; the first one starts scanning at once. The release is safe to call more than once. */
  acquire(consumerId: string): () => void {
    if (this.disposed) return () => undefined;
    const wasRunning = this.running;
    this.consumers.set(consumerId, (this.consumers.get(consumerId) ?? 0) + 1);
    if (!wasRunning) this.schedule(0);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.consumers.get(consumerId) ?? 1) - 1;
      if (n > 0) this.consumers.set(consumerId, n);
      else this.consumers.delete(consumerId);
      if (!this.running) this.stop();
    };
  }

  /** After every look (and when the folder setting changes). */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The idle policy's progress signal: called once per finished checkpoint newer than any seen before. Auto-stop
   * subscribes here (and holds the monitor with acquire('autoStop') so the looks keep coming).
   */
  onNewCheckpoint(listener: (c: Checkpoint) => void): () => void {
    return this.progress.onNewCheckpoint(listener);
  }

  /**
   * The other half of the progress signal: called after each look in which a log file grew since the previous look
   * (not after the first look, nor for a file that was only touched or that shrank).
   */
  onLogGrew(listener: (g: LogGrowth) => void): () => void {
    return this.logProgress.onLogGrew(listener);
  }

  /** "A new checkpoint since T" (T on the local clock): the newest finished checkpoint written after it, if any. */
  newCheckpointSince(localMs: number): Checkpoint | undefined {
    const finished = this.tracked.filter((t) => t.state !== 'writing').map((t) => t.checkpoint);
    return newCheckpointSince(finished, localMs + this.offsetMs);
  }

  /** Newest finished checkpoint of the last look. */
  latest(): Checkpoint | undefined {
    return this.latestFinished;
  }

  /** Milliseconds to add to the local clock to get the instance's (0 until a scan told us). */
  get remoteOffsetMs(): number {
    return this.offsetMs;
  }

  /** Looks now (e.g. a settings change); the interval restarts from here. No-op while nobody holds the monitor. */
  rescan(): void {
    if (!this.running) return;
    this.abort?.abort();
    this.abort = undefined;
    this.schedule(0);
  }

  status(): CheckpointStatus {
    const settings = this.deps.settings(this.host);
    const nowLocal = this.deps.clock.now();
    const nowMs = nowLocal + this.offsetMs;
    if (!settings) {
      return checkpointStatusView({ state: 'noFolder', root: '', tracked: [], latest: undefined, overdue: undefined, nowMs, scannedAtMs: undefined, truncated: false, error: undefined, newestDownloaded: false });
    }
    const stale = this.root !== undefined && this.root !== settings.root;
    const tracked = stale ? [] : this.tracked;
    const latest = stale ? undefined : this.latestFinished;
    const last = this.deps.lastDownload(this.host);
    const state: CheckpointStatus['state'] = this.scannedAt === undefined || stale ? 'scanning' : this.error !== undefined ? 'error' : 'ready';
    return checkpointStatusView({
      state,
      root: settings.root,
      tracked,
      latest,
      overdue: this.scannedAt === undefined || stale ? undefined : this.overdue(settings, tracked, nowMs, nowLocal),
      nowMs,
      scannedAtMs: this.scannedAt === undefined ? undefined : this.scannedAt + this.offsetMs,
      truncated: !stale && this.truncated,
      error: this.error,
      newestDownloaded: latest !== undefined && last !== undefined && last.path === latest.path && last.mtimeMs >= latest.mtimeMs,
    });
  }

  dispose(): void {
    this.disposed = true;
    this.consumers.clear();
    this.stop();
    this.listeners.clear();
  }

  private overdue(settings: CheckpointSettings, tracked: readonly TrackedCheckpoint[], nowMs: number, nowLocal: number): ReturnType<typeof overdueStatus> {
    const utils = this.deps.gpuUtilisations(this.host);
    const busyNow = utils !== undefined && utils.length > 0 && Math.max(...utils) >= (this.deps.busyPercent ?? 5);
    if (busyNow) this.lastBusyLocal = nowLocal;
    // Busy within the grace: a checkpoint save or a data-loader stall dips utilisation for seconds, and "overdue"
    // must not blink with every dip. A run starts at the first busy sample and ends after a whole grace of quiet.
    const busy = this.lastBusyLocal !== undefined && nowLocal - this.lastBusyLocal <= BUSY_GRACE_MS;
    if (busy) this.runStartedLocal ??= nowLocal;
    else if (utils !== undefined) this.runStartedLocal = undefined;
    return overdueStatus({
      checkpoints: tracked.filter((t) => t.state !== 'writing').map((t) => t.checkpoint),
      nowMs,
      // Product rule: "cannot measure" counts as busy.
      gpusBusy: utils === undefined || busy,
      ...(this.runStartedLocal !== undefined ? { runStartedMs: this.runStartedLocal + this.offsetMs } : {}),
      factor: settings.overdueFactor,
      withoutAnyMs: settings.overdueWithoutAnyMinutes * 60_000,
    });
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined) this.deps.timers.clearTimeout(this.timer);
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = undefined;
      void this.scan();
    }, delayMs);
  }

  private stop(): void {
    if (this.timer !== undefined) this.deps.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.abort = undefined;
  }

  private async scan(): Promise<void> {
    const settings = this.deps.settings(this.host);
    if (!settings) {
      this.reset(undefined);
      this.fire();
      this.schedule(this.deps.intervalMs());
      return;
    }
    // A different folder is a different project: its first look must not be compared with the old one's.
    if (this.root !== settings.root) this.reset(settings.root);
    const abort = this.deps.newAbort();
    this.abort = abort;
    try {
      const look = await this.deps.look(this.host, settings, abort.signal);
      if (abort.signal.aborted) return;
      const local = this.deps.clock.now();
      this.offsetMs = look.remoteNowMs !== undefined ? look.remoteNowMs - local : 0;
      const seen = this.tracker.observe(look.checkpoints);
      this.tracked = seen.checkpoints;
      this.latestFinished = seen.latest;
      this.truncated = look.truncated;
      this.scannedAt = local;
      this.error = undefined;
      this.progress.update(seen.latest);
      this.logProgress.update(look.logs, look.truncated);
    } catch (e) {
      if (abort.signal.aborted) return;
      const error = toRemoteGpuError(e);
      this.error = error.message;
      this.scannedAt ??= this.deps.clock.now();
      this.deps.logger.warn(`${this.host.label}: checkpoint look failed: ${error.reason}: ${error.message}${error.detail ? ` (${error.detail})` : ''}`);
    } finally {
      if (this.abort === abort) this.abort = undefined;
    }
    this.fire();
    if (this.running && !this.disposed) this.schedule(this.deps.intervalMs());
  }

  private reset(root: string | undefined): void {
    this.root = root;
    this.tracker = new WritingTracker();
    this.logProgress.reset();
    this.tracked = [];
    this.latestFinished = undefined;
    this.scannedAt = undefined;
    this.truncated = false;
    this.error = undefined;
  }

  private fire(): void {
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch (e) {
        this.deps.logger.error('checkpoint listener failed', e);
      }
    }
  }
}

/** One monitor per host id, made on first use and kept (they cost nothing while nobody holds them). */
export class CheckpointMonitors {
  private readonly monitors = new Map<string, HostCheckpointMonitor>();
  private readonly created = new Set<(m: HostCheckpointMonitor) => void>();

  constructor(private readonly deps: CheckpointMonitorDeps) {}

  for(host: SshHost): HostCheckpointMonitor {
    let m = this.monitors.get(host.id);
    if (!m) {
      m = new HostCheckpointMonitor(host, this.deps);
      this.monitors.set(host.id, m);
      for (const l of this.created) l(m);
    }
    return m;
  }

  /** Existing monitor of a host id, without making one. */
  get(hostId: string): HostCheckpointMonitor | undefined {
    return this.monitors.get(hostId);
  }

  /** Told about every monitor made from now on (the tree subscribes to redraw on its changes). */
  onCreated(listener: (m: HostCheckpointMonitor) => void): () => void {
    this.created.add(listener);
    return () => this.created.delete(listener);
  }

  /** Settings changed: every running monitor looks again now. */
  rescanAll(): void {
    for (const m of this.monitors.values()) m.rescan();
  }

  dispose(): void {
    for (const m of this.monitors.values()) m.dispose();
    this.monitors.clear();
  }
}
