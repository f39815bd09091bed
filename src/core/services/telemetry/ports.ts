import type { RemoteGpuError } from '../../errors';
import type { SshHost } from '../../hosts/sshHost';
import type { ExecOptions, ExecResult } from '../../remote/remoteCommand';

/** How a remote stream ended. `error` is set when it did not end on its own (cancelled, connection lost). */
export interface TelemetryStreamExit {
  readonly code: number | null;
  readonly signal: string | null;
  readonly error?: RemoteGpuError | undefined;
}

export interface TelemetryStreamOptions {
  readonly signal?: AbortSignal;
  /** One complete stdout line without its line break. */
  readonly onLine: (line: string) => void;
  readonly onStderrLine?: (line: string) => void;
  /** Called exactly once, however the stream ends. */
  readonly onExit?: (exit: TelemetryStreamExit) => void;
}

/** A long-lived remote command. */
export interface TelemetryStream {
  /** Stops the remote command (closes its channel). Safe to call more than once. */
  close(): void;
  /** Resolves with what onExit received; never rejects. */
  readonly done: Promise<TelemetryStreamExit>;
}

/**
 * What the telemetry service needs of a host: one-shot commands and long-lived line streams, both as argv (quoted
 * by the implementation). SshConnection satisfies this structurally; src/remote/telemetry binds it to the pool.
 */
export interface TelemetryTransport {
  /** A non-zero exit is data in the result, not a rejection; rejects with RemoteGpuError on transport failures. */
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Rejects when the channel cannot be opened (connection lost, refused). */
  openStream(argv: readonly string[], options: TelemetryStreamOptions): Promise<TelemetryStream>;
}

/**
 * The transport for a host, connecting if needed. Called again for every reconnect, because the pool evicts a dead
 * connection and only a fresh `connect` returns a live one.
 */
export type ConnectTelemetry = (host: SshHost) => Promise<TelemetryTransport>;

/** Opaque timer handle; only the Timers that made it can clear it. */
export type TimerHandle = unknown;

/** Timer port: the core has no timers of its own (it is type-checked without Node or DOM types). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}
