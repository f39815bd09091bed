import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';
import type { ChannelHost } from './channelHost';
import { channelOpenError } from './channelHost';
import { connectionLostError } from './sshErrors';

export interface OpenShellOptions {
  readonly cols: number;
  readonly rows: number;
  /** TERM on the remote side. Default xterm-256color, which is what VS Code's terminal emulates. */
  readonly term?: string;
}

/**
 * An interactive login shell on a pty, shaped for a VS Code Pseudoterminal. Output that arrives before the first
 * onData listener is kept and delivered to it, so nothing the server prints first (motd, prompt) is lost.
 */
export interface ShellChannel {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  onData(cb: (data: string) => void): void;
  /** Called once: with the shell's exit code, or null when it ended by a signal or the connection dropped. */
  onExit(cb: (code: number | null) => void): void;
  close(): void;
}

export function openShell(h: ChannelHost, opts: OpenShellOptions): Promise<ShellChannel> {
  return new Promise<ShellChannel>((resolve, reject) => {
    if (h.closed) return reject(connectionLostError(h.target));
    h.client.shell({ cols: opts.cols, rows: opts.rows, height: 0, width: 0, term: opts.term ?? 'xterm-256color' }, (err, ch) => {
      if (err) return reject(channelOpenError(h, err));
      resolve(new PtyShell(ch));
    });
  });
}

class PtyShell implements ShellChannel {
  // A multi-byte character (é, emoji) can be split across two SSH packets; the decoder carries the partial bytes.
  private readonly decoder = new StringDecoder('utf8');
  private readonly errDecoder = new StringDecoder('utf8');
  private readonly dataListeners: ((data: string) => void)[] = [];
  private readonly exitListeners: ((code: number | null) => void)[] = [];
  private early: string[] = [];
  private exitCode: number | null = null;
  private ended = false;

  constructor(private readonly ch: ClientChannel) {
    ch.on('data', (d: Buffer) => this.emit(this.decoder.write(d)));
    // With a pty the server merges stderr into the stream; anything on stderr still belongs on screen.
    ch.stderr.on('data', (d: Buffer) => this.emit(this.errDecoder.write(d)));
    ch.on('exit', (code: number | null) => {
      this.exitCode = code ?? null;
    });
    ch.on('close', () => {
      this.emit(this.decoder.end() + this.errDecoder.end());
      this.ended = true;
      for (const cb of this.exitListeners.splice(0)) cb(this.exitCode);
    });
  }

  write(data: string): void {
    if (!this.ended) this.ch.write(data);
  }

  resize(cols: number, rows: number): void {
    if (!this.ended) this.ch.setWindow(rows, cols, 0, 0);
  }

  onData(cb: (data: string) => void): void {
    this.dataListeners.push(cb);
    const early = this.early;
    this.early = [];
    for (const d of early) cb(d);
  }

  onExit(cb: (code: number | null) => void): void {
    if (this.ended) cb(this.exitCode);
    else this.exitListeners.push(cb);
  }

  close(): void {
    if (!this.ended) this.ch.close();
  }

  private emit(text: string): void {
    if (text === '') return;
    if (this.dataListeners.length === 0) this.early.push(text);
    else for (const cb of this.dataListeners) cb(text);
  }
}
