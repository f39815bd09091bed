import type { ClientChannel } from 'ssh2';
import { RemoteGpuError } from '../core/errors';
import type { ExecOptions, ExecResult } from '../core/remote/remoteCommand';
import { withStdinWatchdog } from '../core/remote/stdinWatchdog';
import type { ChannelHost } from './channelHost';
import { channelOpenError, stopChannel } from './channelHost';
import { OperationGuard } from './operationGuard';
import { cancelledError, connectionLostError } from './sshErrors';
import { t } from '../shared/l10n';

export interface SshExecOptions extends ExecOptions {
  /** stdout + stderr together; past this the command is stopped and the call rejects. Default 16 MiB. */
  readonly maxOutputBytes?: number;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** Collects stdout and stderr up to a byte budget, so a runaway command cannot exhaust the extension host's memory. */
class CappedOutput {
  readonly stdout: Buffer[] = [];
  readonly stderr: Buffer[] = [];
  private bytes = 0;
  constructor(readonly max: number) {}
  /** False once the budget is exceeded. */
  add(into: Buffer[], chunk: Buffer): boolean {
    this.bytes += chunk.length;
    if (this.bytes > this.max) return false;
    into.push(chunk);
    return true;
  }
  text(which: Buffer[]): string {
    // Decoded once at the end, so a multi-byte character split across chunks stays whole.
    return Buffer.concat(which).toString('utf8');
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

/**
 * The argv an exec sends. One the caller can give up on (a signal or a timeout) runs inside the stdin watchdog, so
 * giving up ends the remote command too: sshd leaves it running when we close the channel, and its session keeps
 * counting against MaxSessions (10), so a few timed-out `sleep 30`s made the next channel opens fail. An exec nobody
 * can give up on stays exactly as it was (no extra processes; a command killed by a signal still reports the signal).
 * The output cap also closes the channel, but a command over the cap is writing and ends at its next write (SIGPIPE).
 */
export function execArgv(argv: readonly string[], opts: ExecOptions = {}): readonly string[] {
  return opts.signal !== undefined || opts.timeoutMs !== undefined ? withStdinWatchdog(argv) : argv;
}

/**
 * Runs one already-quoted command line on a new channel and collects its output. Settles exactly once: with the
 * exit status (any code, or the signal), or with a typed error for abort, timeout, output cap or a lost connection.
 */
export function runExec(h: ChannelHost, command: string, opts: SshExecOptions = {}): Promise<ExecResult> {
  // Translated: it becomes the subject of the timeout message (OperationGuard).
  const what = t('a command on {0}', h.target);
  return new Promise<ExecResult>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(cancelledError(what));
    if (h.closed) return reject(connectionLostError(h.target));
    const out = new CappedOutput(opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES);
    let channel: ClientChannel | undefined;
    let exit: { code: number | null; signal: string | null } | undefined;
    const guard = new OperationGuard(h, { what, ...opts }, (e) => {
      stopChannel(channel, h.log);
      reject(e);
    });
    const tooMuch = (): void =>
      guard.abandon(new RemoteGpuError('invalidResponse', t('A command on {0} printed more than {1}; it was stopped.', h.target, formatBytes(out.max)), `limit ${out.max} bytes`));

    h.client.exec(command, (err, ch) => {
      if (guard.settled) return err ? undefined : stopChannel(ch, h.log);
      if (err) return guard.abandon(channelOpenError(h, err));
      channel = ch;
      ch.on('data', (d: Buffer) => out.add(out.stdout, d) || tooMuch());
      ch.stderr.on('data', (d: Buffer) => out.add(out.stderr, d) || tooMuch());
      ch.on('exit', (code: number | null, signal?: string) => {
        exit = { code: code ?? null, signal: signal ?? null };
      });
      ch.on('close', () => {
        const end = (): void => {
          // No exit status at all means the far end went away, not that the command finished.
          if (!exit) return guard.abandon(connectionLostError(h.target));
          if (guard.finish()) resolve({ stdout: out.text(out.stdout), stderr: out.text(out.stderr), ...exit });
        };
        // ssh2 reports a dying connection before it closes the channels; give that report one turn to arrive.
        if (exit) end();
        else setImmediate(end);
      });
    });
  });
}
