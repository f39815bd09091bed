import * as vscode from 'vscode';
import type { SshHost } from '../../core/hosts/sshHost';
import type { ActivitySource } from '../../core/idle/idleTypes';
import type { TerminalChannel } from '../terminal/sshPseudoterminal';

/**
 * The alias this window is a Remote-SSH window on ("ssh-remote+gpu-box" -> "gpu-box"), or undefined in a local
 * window. Remote-SSH puts the alias, or a hex-encoded JSON {"hostName": ...}, after the '+'.
 */
export function remoteSshAlias(remoteName: string | undefined, authority: string | undefined): string | undefined {
  if (remoteName !== 'ssh-remote' || !authority?.startsWith('ssh-remote+')) return undefined;
  const rest = authority.slice('ssh-remote+'.length);
  if (/^[0-9a-f]+$/i.test(rest) && rest.length % 2 === 0) {
    try {
      const parsed = JSON.parse(Buffer.from(rest, 'hex').toString('utf8')) as { hostName?: unknown };
      if (typeof parsed.hostName === 'string') return parsed.hostName;
    } catch {
      // Not hex JSON after all: a plain alias made of hex letters.
    }
  }
  return rest;
}

/** Whether a window on `alias` is a window on this host (its ssh config alias, or the address itself). */
export function windowIsOnHost(alias: string, host: SshHost): boolean {
  return alias === host.sshConfigAlias || alias === host.hostname;
}

const REPORT_EVERY_MS = 5000;

/**
 * This window's person signals: focus of a Remote-SSH window on a host. Terminal input/output and the dashboard's
 * focus are reported by their owners through `report`. An open window alone is never activity, only its focus.
 */
export class PersonActivity implements vscode.Disposable {
  private readonly listeners = new Set<(hostMatches: (h: SshHost) => boolean, source: ActivitySource) => void>();
  private readonly focus: vscode.Disposable;
  private readonly lastReport = new Map<string, number>();
  readonly alias = remoteSshAlias(vscode.env.remoteName, vscode.workspace.workspaceFolders?.[0]?.uri.authority);

  constructor() {
    this.focus = vscode.window.onDidChangeWindowState((s) => {
      if (s.focused) this.remoteWindowFocused();
    });
  }

  /** While the window stays focused a person may be reading; the caller calls this on its minute tick too. */
  remoteWindowFocused(): void {
    const alias = this.alias;
    if (alias === undefined || !vscode.window.state.focused) return;
    for (const l of this.listeners) l((h) => windowIsOnHost(alias, h), 'remoteWindowFocus');
  }

  /** Terminal output arrives in many small chunks: one report per host and kind every few seconds is enough. */
  report(hostId: string, source: ActivitySource): void {
    const key = `${hostId}|${source}`;
    const now = Date.now();
    if (now - (this.lastReport.get(key) ?? 0) < REPORT_EVERY_MS) return;
    this.lastReport.set(key, now);
    for (const l of this.listeners) l((h) => h.id === hostId, source);
  }

  onActivity(listener: (hostMatches: (h: SshHost) => boolean, source: ActivitySource) => void): vscode.Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.focus.dispose();
    this.listeners.clear();
  }
}

/** Reports input to and output from one of our SSH terminals as a person's activity on its host. */
export function reportTerminalActivity(channel: TerminalChannel, report: (source: ActivitySource) => void): TerminalChannel {
  return {
    write: (data) => {
      report('terminalInput');
      channel.write(data);
    },
    resize: (cols, rows) => channel.resize(cols, rows),
    onData: (cb) =>
      channel.onData((data) => {
        report('terminalOutput');
        cb(data);
      }),
    onExit: (cb) => channel.onExit(cb),
    close: () => channel.close(),
  };
}

/** Joins the tree's extra texts of several features, leaving out empty parts (no dangling " · "). */
export function joinExtras(...parts: ({ description: string; tooltip: string } | undefined)[]): { description: string; tooltip: string } | undefined {
  const present = parts.filter((p): p is { description: string; tooltip: string } => p !== undefined);
  if (present.length === 0) return undefined;
  return { description: present.map((p) => p.description).filter(Boolean).join(' · '), tooltip: present.map((p) => p.tooltip).filter(Boolean).join('\n') };
}
