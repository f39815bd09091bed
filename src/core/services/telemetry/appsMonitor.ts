import { isRemoteGpuError } from '../../errors';
import type { Logger } from '../../logger';
import type { Clock } from '../../providers/time';
import { runRemote } from '../../remote/remoteCommand';
import { ComputeAppsTracker, parseComputeAppLine } from '../../telemetry/computeApps';
import { classifyProcessVisibility, toProcessesView, visiblePidsCommand } from '../../telemetry/processVisibility';
import type { GpuSample } from '../../telemetry/sampleParser';
import { buildComputeAppsArgv } from '../../telemetry/streamCommand';
import type { ProcessesView } from '../../../shared/telemetryProtocol';
import type { TelemetryStream, TelemetryTransport } from './ports';
import { withStdinWatchdog } from '../../remote/stdinWatchdog';

export interface AppsMonitorConfig {
  readonly transport: TelemetryTransport;
  readonly intervalMs: number;
  readonly utcOffsetMinutes: number;
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly log: Logger;
  /** The process list (or what we know about it) may have changed. */
  readonly onChange: () => void;
}

/** `unknown`: ps is missing or failed for good, so whether the PIDs are ours cannot be told. */
type VisiblePids = ReadonlySet<number> | 'unknown' | undefined;

const UNAVAILABLE: ProcessesView = { kind: 'unavailable' };

/**
 * The process side of one stream session: the slow `--query-compute-apps` stream on the same connection, plus `ps`
 * to tell whether the driver's PIDs are ours (in a rented container they are the host's). A failure here never ends
 * the GPU stream: the table then says "unavailable".
 */
export class AppsMonitor {
  private stream: TelemetryStream | undefined;
  private tracker: ComputeAppsTracker | undefined;
  private pids: VisiblePids;
  /** PIDs the last successful `ps` was asked about: a PID that appears later needs another look, one that goes does not. */
  private checkedPids: ReadonlySet<number> = new Set();
  /** PIDs seen in rows since, waiting for the next `ps`. */
  private newPids = new Set<number>();
  private pidsInFlight = false;
  private closed = false;

  constructor(private readonly cfg: AppsMonitorConfig) {}

  async start(): Promise<void> {
    this.tracker = new ComputeAppsTracker({
      intervalMs: this.cfg.intervalMs,
      utcOffsetMinutes: this.cfg.utcOffsetMinutes,
      startedAt: this.cfg.clock.now(),
      onRowError: (e) => this.cfg.log.debug(`compute-apps row skipped: ${e.message}`),
    });
    void this.refreshPids();
    try {
      const stream = await this.cfg.transport.openStream(withStdinWatchdog(buildComputeAppsArgv(this.cfg.intervalMs)), {
        onLine: (line) => this.onLine(line),
        onExit: (exit) => this.onExit(exit.code, exit.signal),
      });
      if (this.closed) stream.close();
      else this.stream = stream;
    } catch (e) {
      if (!this.closed) this.cfg.log.warn(`process list unavailable: ${isRemoteGpuError(e) ? e.message : String(e)}`);
      this.tracker = undefined;
    }
  }

  close(): void {
    this.closed = true;
    this.stream?.close();
    this.stream = undefined;
  }

  /** What the processes table shows now; `gpus` are the newest samples (for memory in use and GPU indexes). */
  view(now: number, gpus: readonly GpuSample[]): ProcessesView {
    const current = this.closed ? undefined : this.tracker?.current(now);
    if (!current) return UNAVAILABLE;
    const apps = current.apps;
    const known = this.pids instanceof Set ? this.pids : undefined;
    // With no process listed, visibility needs no PIDs: only "none" vs "memory in use but not reported".
    const visibility =
      apps.length === 0 || known ? classifyProcessVisibility(apps, known ?? new Set(), gpus.map((g) => g.metrics.memoryUsedMiB)) : undefined;
    return toProcessesView(apps, visibility, new Map(gpus.map((g) => [g.uuid, g.index])));
  }

  private onLine(line: string): void {
    if (this.closed || !this.tracker) return;
    this.tracker.push(line, this.cfg.clock.now());
    const parsed = parseComputeAppLine(line, this.cfg);
    if (parsed.kind === 'app') this.notePid(parsed.app.pid);
    this.cfg.onChange();
  }

  private onExit(code: number | null, signal: string | null): void {
    if (this.closed) return;
    this.cfg.log.warn(`process-list stream ended (exit ${code ?? signal ?? '?'}); the process table is unavailable until reconnect`);
    this.tracker = undefined;
    this.cfg.onChange();
  }

  /** A PID ps has not been asked about may be one of ours: ask again (a PID that goes needs no look). */
  private notePid(pid: number): void {
    if (this.pids === 'unknown' || this.checkedPids.has(pid)) return;
    this.newPids.add(pid);
    if (!this.pidsInFlight) void this.refreshPids();
  }

  private async refreshPids(): Promise<void> {
    const asked = this.newPids;
    this.newPids = new Set();
    this.pidsInFlight = true;
    try {
      this.pids = await runRemote(this.cfg.transport, visiblePidsCommand, { timeoutMs: this.cfg.timeoutMs });
      // Bounded: a host that churns through jobs for weeks must not grow this without limit.
      this.checkedPids = this.checkedPids.size > 4_096 ? asked : new Set([...this.checkedPids, ...asked]);
    } catch (e) {
      // ps missing or broken will stay so; a dropped connection ends the session anyway.
      if (isRemoteGpuError(e) && (e.reason === 'commandNotFound' || e.reason === 'remoteFailed')) this.pids = 'unknown';
      if (!this.closed) this.cfg.log.debug(`ps: ${isRemoteGpuError(e) ? e.message : String(e)}`);
    } finally {
      this.pidsInFlight = false;
    }
    if (this.closed) return;
    this.cfg.onChange();
    if (this.newPids.size > 0 && this.pids !== 'unknown') void this.refreshPids();
  }
}
