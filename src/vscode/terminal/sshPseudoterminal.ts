import * as vscode from 'vscode';
import { toRemoteGpuError } from '../../core/errors';
import type { SshHost } from '../../core/hosts/sshHost';
import type { Logger } from '../../core/logger';

/** The interactive channel the SSH layer opens (src/remote ShellChannel), reduced to what a terminal needs. */
export interface TerminalChannel {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  onData(cb: (data: string) => void): void;
  onExit(cb: (code: number | null) => void): void;
  close(): void;
}

export type OpenShell = (host: SshHost, size: { cols: number; rows: number }) => Promise<TerminalChannel>;

/**
 * An integrated terminal on the host, over the pooled SSH connection (a new channel, not a new connection), so it
 * shares host-key trust and auth with the tree. Resizes are forwarded as window-change requests.
 */
export function createSshTerminal(host: SshHost, openShell: OpenShell, logger: Logger): vscode.Terminal {
  const write = new vscode.EventEmitter<string>();
  const close = new vscode.EventEmitter<number | void>();
  let channel: TerminalChannel | undefined;
  let failed = false;
  let pendingSize: { cols: number; rows: number } | undefined;
  // Keys typed while the channel is still opening are kept and sent once it is up, as a local terminal would.
  let typedAhead = '';

  const pty: vscode.Pseudoterminal = {
    onDidWrite: write.event,
    onDidClose: close.event,
    open: (dims) => {
      const size = { cols: dims?.columns ?? 80, rows: dims?.rows ?? 24 };
      write.fire(vscode.l10n.t('Connecting to {0}...', `${host.user}@${host.hostname}`) + '\r\n');
      openShell(host, size).then(
        (ch) => {
          channel = ch;
          ch.onData((data) => write.fire(data));
          ch.onExit((code) => close.fire(code ?? 0));
          if (pendingSize) ch.resize(pendingSize.cols, pendingSize.rows);
          if (typedAhead) ch.write(typedAhead);
          typedAhead = '';
        },
        (e: unknown) => {
          const error = toRemoteGpuError(e);
          failed = true;
          logger.warn(`terminal ${host.label}: ${error.reason}: ${error.message}`);
          write.fire(`\r\n\x1b[31m${error.message}\x1b[0m\r\n\r\n${vscode.l10n.t('Press any key to close this terminal.')}\r\n`);
        },
      );
    },
    close: () => {
      channel?.close();
      write.dispose();
      close.dispose();
    },
    handleInput: (data) => {
      if (failed) close.fire(1);
      else if (channel) channel.write(data);
      else if (typedAhead.length < 64 * 1024) typedAhead += data;
    },
    setDimensions: (dims) => {
      pendingSize = { cols: dims.columns, rows: dims.rows };
      channel?.resize(dims.columns, dims.rows);
    },
  };
  return vscode.window.createTerminal({ name: terminalName(host), pty, iconPath: new vscode.ThemeIcon('server') });
}

export function terminalName(host: SshHost): string {
  return `SSH: ${host.label}`;
}
