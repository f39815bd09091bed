import { RemoteGpuError, toRemoteGpuError } from '../../errors';
import type { SshHost } from '../../hosts/sshHost';
import type { Logger } from '../../logger';
import type { Clock } from '../../providers/time';
import { dropRefusedField, requestNames } from '../../telemetry/helpQueryGpu';
import { unknownQueryField } from '../../telemetry/nvidiaSmiExit';
import type { HostSample } from '../../telemetry/sampleGrouper';
import { SampleGrouper } from '../../telemetry/sampleGrouper';
import type { GpuSample, RowParseError } from '../../telemetry/sampleParser';
import { createGpuRowParser } from '../../telemetry/sampleParser';
import { buildGpuStreamArgv } from '../../telemetry/streamCommand';
import type { ProcessesView } from '../../../shared/telemetryProtocol';
import { AppsMonitor } from './appsMonitor';
import type { Failure } from './failures';
import { classifyFailure, exitFailure, streamEndedFailure } from './failures';
import { withStdinWatchdog } from '../../remote/stdinWatchdog';
import type { ConnectTelemetry, TelemetryStream, TelemetryStreamExit, TelemetryTransport } from './ports';
import { setUpStream } from './streamSetup';
import type { FieldCache, StreamSetup } from './streamSetup';
import { t } from '../../../shared/l10n';

/**
 * How a session ended on its own: restart at once (a field was dropped), its connection was closed under it by
 * someone else (the pool dropped it, settings changed: reconnect without showing an error), or a failure to back off
 * from.
 */
export type SessionOutcome =
  | { readonly kind: 'restart'; readonly why: string }
  | { readonly kind: 'dropped'; readonly why: string }
  | { readonly kind: 'failed'; readonly failure: Failure };

export interface SessionEvents {
  /** The GPU stream is open. */
  connected(): void;
  sample(sample: HostSample): void;
  appsChanged(): void;
  /** Exactly once, unless the owner closed the session first. */
  ended(outcome: SessionOutcome): void;
}

export interface SessionConfig {
  readonly host: SshHost;
  readonly connect: ConnectTelemetry;
  readonly fieldCache: FieldCache;
  readonly intervalMs: number;
  readonly appsIntervalMs: number;
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly log: Logger;
  readonly events: SessionEvents;
}

/** Row errors logged as warnings per session; the rest only count, so a garbled stream cannot flood the log. */
const LOGGED_ROW_ERRORS = 3;
const STDERR_TAIL_CHARS = 2_000;

/**
 * One attempt at a host's streams: connect (through the pool), set up (driver, fields, UTC offset), then the `-lms`
 * GPU stream and the compute-apps stream on the same connection. Single use: the owner makes a new one to reconnect.
 */
export class StreamSession {
  private closed = false;
  private finished = false;
  private gpu: TelemetryStream | undefined;
  private apps: AppsMonitor | undefined;
  private setup: StreamSetup | undefined;
  private refused: string | undefined;
  private rowErrors = 0;
  private stderrTail = '';

  constructor(private readonly cfg: SessionConfig) {}

  async start(): Promise<void> {
    try {
      const transport = await this.cfg.connect(this.cfg.host);
      if (this.closed) return;
      const setup = await setUpStream({ transport, fieldCache: this.cfg.fieldCache, timeoutMs: this.cfg.timeoutMs, log: this.cfg.log });
      if (this.closed) return;
      this.setup = setup;
      await this.openGpuStream(transport, setup);
      if (this.closed || this.finished) return;
      this.cfg.events.connected();
      this.apps = new AppsMonitor({
        transport,
        intervalMs: this.cfg.appsIntervalMs,
        utcOffsetMinutes: setup.utcOffsetMinutes,
        timeoutMs: this.cfg.timeoutMs,
        clock: this.cfg.clock,
        log: this.cfg.log,
        onChange: () => this.cfg.events.appsChanged(),
      });
      await this.apps.start();
    } catch (e) {
      this.finish(failedOrDropped(classifyFailure(e)));
    }
  }

  /** Stops both streams; no event follows. */
  close(): void {
    this.closed = true;
    this.stopStreams();
  }

  processes(now: number, gpus: readonly GpuSample[]): ProcessesView {
    return this.apps?.view(now, gpus) ?? { kind: 'unavailable' };
  }

  private async openGpuStream(transport: TelemetryTransport, setup: StreamSetup): Promise<void> {
    const grouper = new SampleGrouper({
      parseLine: createGpuRowParser(setup.negotiated.fields, { utcOffsetMinutes: setup.utcOffsetMinutes }),
      intervalMs: this.cfg.intervalMs,
      expectedGpus: setup.gpuCount,
      onRowError: (e) => this.onRowError(e),
    });
    const argv = withStdinWatchdog(buildGpuStreamArgv(requestNames(setup.negotiated), this.cfg.intervalMs));
    const stream = await transport.openStream(argv, {
      onLine: (line) => {
        if (this.closed) return;
        for (const sample of grouper.push(line)) this.cfg.events.sample(sample);
      },
      onStderrLine: (line) => this.onStderr(line),
      onExit: (exit) => {
        if (this.closed || this.finished) return;
        for (const sample of grouper.flush()) this.cfg.events.sample(sample);
        this.finish(this.outcomeOf(exit));
      },
    });
    if (this.closed || this.finished) stream.close();
    else this.gpu = stream;
  }

  private onRowError(error: RowParseError): void {
    if (error.reason === 'unknownField' && error.field !== undefined) this.refused ??= error.field;
    this.rowErrors++;
    if (this.rowErrors <= LOGGED_ROW_ERRORS) this.cfg.log.warn(`row skipped: ${error.message} (${error.line})`);
    else if (this.rowErrors % 100 === 0) this.cfg.log.debug(`${this.rowErrors} rows skipped so far`);
  }

  private onStderr(line: string): void {
    this.stderrTail = `${this.stderrTail}${line}\n`.slice(-STDERR_TAIL_CHARS);
    this.refused ??= unknownQueryField(line);
  }

  private outcomeOf(exit: TelemetryStreamExit): SessionOutcome {
    if (this.refused !== undefined) return this.dropField(this.refused);
    if (exit.error) return failedOrDropped(classifyFailure(exit.error));
    if (exit.code === null || exit.code === 0) return { kind: 'failed', failure: streamEndedFailure(exit.code, exit.signal) };
    const failure = exitFailure({ stdout: '', stderr: this.stderrTail, code: exit.code, signal: exit.signal });
    return { kind: 'failed', failure: failure ?? streamEndedFailure(exit.code, exit.signal) };
  }

  /**
   * The help listed a field the query refused (exit 2): stream without it, and remember that for every host with
   * this driver. A refused required field, or one we never asked for, cannot be fixed by retrying.
   */
  private dropField(name: string): SessionOutcome {
    const setup = this.setup;
    if (!setup) return { kind: 'failed', failure: { error: new RemoteGpuError('internal', t('A field was refused before setup.')), permanent: false } };
    try {
      const next = dropRefusedField(setup.negotiated, name);
      if (next === setup.negotiated) {
        const error = new RemoteGpuError('invalidResponse', t('nvidia-smi refused the field "{0}", which was not asked for.', name));
        return { kind: 'failed', failure: { error, permanent: true } };
      }
      this.cfg.fieldCache.set(setup.driverVersion, next);
      this.cfg.log.warn(`nvidia-smi ${setup.driverVersion} refused "${name}" at run time; restarting the stream without it`);
      return { kind: 'restart', why: `field ${name} dropped` };
    } catch (e) {
      return { kind: 'failed', failure: { error: toRemoteGpuError(e), permanent: true } };
    }
  }

  private finish(outcome: SessionOutcome): void {
    if (this.finished || this.closed) return;
    this.finished = true;
    this.stopStreams();
    this.cfg.events.ended(outcome);
  }

  private stopStreams(): void {
    this.gpu?.close();
    this.gpu = undefined;
    this.apps?.close();
  }
}

/**
 * 'cancelled' reaching a session that its owner did not close means the connection was disposed under it (the pool
 * dropped it for a changed host, a settings change rebuilt the pool): nothing is wrong with the host, and "Cancelled."
 * on the dashboard would only alarm. Every other failure is shown.
 */
function failedOrDropped(failure: Failure): SessionOutcome {
  if (failure.error.reason === 'cancelled') return { kind: 'dropped', why: failure.error.detail ?? failure.error.message };
  return { kind: 'failed', failure };
}
