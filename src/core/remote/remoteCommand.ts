/** What a finished remote process left behind. `code` is null when it was killed by a signal. */
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: string | null;
}

export interface ExecOptions {
  readonly signal?: AbortSignal;
  /** Milliseconds before the remote process is abandoned with a `timeout` error. */
  readonly timeoutMs?: number;
}

/**
 * Runs argv on a host. Implementations quote every element with shQuote; none accept a raw command line.
 * Rejects with RemoteGpuError (unreachable, auth, hostKeyChanged, timeout, cancelled, connectionLost).
 * A non-zero exit is NOT a rejection: it is data in ExecResult.
 */
export interface RemoteExec {
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
}

/** A remote operation as data: what to run and how to read its answer (ARCHITECTURE.md, "Remote work is data"). */
export interface RemoteCommand<T> {
  readonly argv: readonly string[];
  parse(result: ExecResult): T;
}

export async function runRemote<T>(exec: RemoteExec, command: RemoteCommand<T>, options?: ExecOptions): Promise<T> {
  return command.parse(await exec.exec(command.argv, options));
}
