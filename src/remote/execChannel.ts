import type { ClientChannel } from 'ssh2';
import { RemoteGpuError } from '../core/errors';
import type { ExecOptions, ExecResult } from '../core/remote/remoteCommand';
import type { ChannelHost } from './channelHost';
import { channelOpenError, stopChannel } from './channelHost';
import { cancelledError, connectionLostError } from './sshErrors';

export interface SshExecOptions extends ExecOptions {
  /** stdout + stderr together; past this the command is stopped and the call rejects. Default 16 MiB. */
  readonly maxOutputBytes?: number;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/**
 * Runs one already-quoted command line on a new channel and collects its output. Settles exactly once: with the
 * exit status (any code, or the signal), or with a typed error for abort, timeout, output cap or a lost connection.
 */
export function runExec(h: ChannelHost, command: string, opts: SshExecOptions = {}): Promise<ExecResult> {
  const max = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  return new Promise<ExecResult>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(cancelledError(`exec on ${h.target}`));
    if (h.closed) return reject(connectionLostError(h.target));
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let bytes = 0;
    let exit: { code: number | null; signal: string | null } | undefined;
    let channel: ClientChannel | undefined;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      untrack();
      return true;
    };
    const abandon = (e: RemoteGpuError): void => {
      if (!settle()) return;
      stopChannel(channel, h.log);
      reject(e);
    };
    const onAbort = (): void => abandon(cancelledError(`exec on ${h.target}`));
    const untrack = h.track(abandon);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.timeoutMs !== undefined) {
      timer = setTimeout(
        () => abandon(new RemoteGpuError('timeout', `A command on ${h.target} did not finish within ${Math.round(opts.timeoutMs ?? 0) / 1000} s.`)),
        opts.timeoutMs,
      );
    }
    const collect = (into: Buffer[], chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > max) {
        abandon(new RemoteGpuError('invalidResponse', `A command on ${h.target} printed more than ${max} bytes; it was stopped.`, `limit ${max} bytes`));
        return;
      }
      into.push(chunk);
    };

    h.client.exec(command, (err, ch) => {
      if (settled) return err ? undefined : stopChannel(ch, h.log);
      if (err) return abandon(channelOpenError(h, err));
      channel = ch;
      ch.on('data', (d: Buffer) => collect(stdout, d));
      ch.stderr.on('data', (d: Buffer) => collect(stderr, d));
      ch.on('exit', (code: number | null, signal?: string) => {
        exit = { code: code ?? null, signal: signal ?? null };
      });
      ch.on('close', () => {
        if (settled) return;
        const finish = (): void => {
          // No exit status at all means the far end went away, not that the command finished.
          if (!exit) return abandon(connectionLostError(h.target));
          if (!settle()) return;
          resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), ...exit });
        };
        // ssh2 reports a dying connection before it closes the channels; give that report one turn to arrive.
        if (exit) finish();
        else setImmediate(finish);
      });
    });
  });
}
