import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';
import type { RemoteGpuError } from '../core/errors';
import type { ChannelHost } from './channelHost';
import { channelOpenError, stopChannel } from './channelHost';
import { cancelledError, connectionLostError } from './sshErrors';

/** How a stream ended. `error` is set when it did not end on its own (cancelled, connection lost). */
export interface StreamExit {
  readonly code: number | null;
  readonly signal: string | null;
  readonly error: RemoteGpuError | undefined;
}

export interface StreamOptions {
  readonly signal?: AbortSignal;
  /** One complete stdout line, without its "\n" or "\r\n". */
  readonly onLine: (line: string) => void;
  readonly onStderrLine?: (line: string) => void;
  /** Called exactly once. */
  readonly onExit?: (exit: StreamExit) => void;
}

/** A long-lived remote command (e.g. `nvidia-smi -lms 1000`). */
export interface RemoteStream {
  /** Stops the remote command; onExit then reports `cancelled`. Safe to call more than once. */
  close(): void;
  /** Resolves with the same value onExit receives; never rejects. */
  readonly done: Promise<StreamExit>;
}

/** A line longer than this is handed over in pieces, so a command that never prints "\n" cannot fill memory. */
export const MAX_LINE_CHARS = 1024 * 1024;

class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  constructor(private readonly emit: (line: string) => void) {}
  push(chunk: Buffer): void {
    this.feed(this.decoder.write(chunk));
  }
  end(): void {
    this.feed(this.decoder.end());
    if (this.partial !== '') this.emit(this.partial);
    this.partial = '';
  }
  private feed(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const p of parts) this.emit(p.endsWith('\r') ? p.slice(0, -1) : p);
    while (this.partial.length > MAX_LINE_CHARS) {
      this.emit(this.partial.slice(0, MAX_LINE_CHARS));
      this.partial = this.partial.slice(MAX_LINE_CHARS);
    }
  }
}

export function openLineStream(h: ChannelHost, command: string, opts: StreamOptions): Promise<RemoteStream> {
  return new Promise<RemoteStream>((resolveOpen, rejectOpen) => {
    if (opts.signal?.aborted) return rejectOpen(cancelledError(`stream on ${h.target}`));
    if (h.closed) return rejectOpen(connectionLostError(h.target));
    h.client.exec(command, (err, ch) => {
      if (err) return rejectOpen(channelOpenError(h, err));
      if (opts.signal?.aborted) {
        stopChannel(ch, h.log);
        return rejectOpen(cancelledError(`stream on ${h.target}`));
      }
      resolveOpen(watch(h, ch, opts));
    });
  });
}

function watch(h: ChannelHost, ch: ClientChannel, opts: StreamOptions): RemoteStream {
  let exit: { code: number | null; signal: string | null } | undefined;
  let ended = false;
  let resolveDone: (e: StreamExit) => void = () => undefined;
  const done = new Promise<StreamExit>((r) => (resolveDone = r));
  const out = new LineSplitter(opts.onLine);
  const err = new LineSplitter(opts.onStderrLine ?? (() => undefined));

  const end = (error: RemoteGpuError | undefined): void => {
    if (ended) return;
    ended = true;
    untrack();
    opts.signal?.removeEventListener('abort', onAbort);
    out.end();
    err.end();
    const result: StreamExit = { code: exit?.code ?? null, signal: exit?.signal ?? null, error };
    opts.onExit?.(result);
    resolveDone(result);
  };
  const stop = (e: RemoteGpuError): void => {
    if (ended) return;
    stopChannel(ch, h.log);
    end(e);
  };
  const onAbort = (): void => stop(cancelledError(`stream on ${h.target}`));
  const untrack = h.track(stop);
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  ch.on('data', (d: Buffer) => out.push(d));
  ch.stderr.on('data', (d: Buffer) => err.push(d));
  ch.on('exit', (code: number | null, signal?: string) => {
    exit = { code: code ?? null, signal: signal ?? null };
  });
  ch.on('close', () => {
    if (exit) return end(undefined);
    setImmediate(() => end(exit ? undefined : connectionLostError(h.target)));
  });
  return { close: () => stop(cancelledError(`stream on ${h.target} closed`)), done };
}
