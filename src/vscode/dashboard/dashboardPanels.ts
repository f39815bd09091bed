import * as vscode from 'vscode';
import type { SshHost } from '../../core/hosts/sshHost';
import type { Logger } from '../../core/logger';
import type { CheckpointMonitors } from '../../core/services/checkpoints/checkpointMonitor';
import type { TelemetryHub } from '../../core/services/telemetry/telemetryHub';
import type { WebviewToHostMessage } from '../../shared/dashboardMessages';
import { TelemetryBinding, type SnapshotSection } from './telemetryBinding';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';

export interface DashboardDeps {
  readonly extensionUri: vscode.Uri;
  readonly hub: TelemetryHub;
  readonly logger: Logger;
  /** Host requests that are commands (open a terminal, show logs). */
  readonly onRequest: (host: SshHost, message: WebviewToHostMessage) => void;
  /**
   * Told which host the user looked at last (the status bar follows it), and undefined when the last dashboard
   * closes: the status bar then lets go of the stream too, so nothing keeps sampling a host nobody watches.
   */
  readonly onFocusHost: (host: SshHost | undefined) => void;
  /** Checkpoint monitors: an open dashboard holds its host's monitor and shows its status (issue 6). */
  readonly checkpoints?: CheckpointMonitors;
  /** More snapshot sections per host (cost and auto-stop, issue 5). */
  readonly sections?: (host: SshHost) => SnapshotSection[];
}

/** One dashboard panel per host; opening it again reveals the existing one. Several hosts can be open at once. */
export class DashboardPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly hosts = new Map<string, SshHost>();
  private counter = 0;

  constructor(private readonly deps: DashboardDeps) {}

  open(host: SshHost): void {
    const existing = this.panels.get(host.id);
    if (existing) {
      existing.reveal();
      return;
    }
    const title = vscode.l10n.t('GPUs: {0}', host.label);
    const panel = vscode.window.createWebviewPanel('remoteGpu.dashboard', title, vscode.ViewColumn.Active, webviewOptions(this.deps.extensionUri));
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'remote-gpu.svg');
    panel.webview.html = renderWebviewHtml(panel.webview, this.deps.extensionUri, 'dashboard', title);
    const monitor = this.deps.checkpoints?.for(host);
    const releaseCheckpoints = monitor?.acquire(`dashboard:${host.id}:${this.counter + 1}`);
    const sections: SnapshotSection[] = monitor ? [{ extend: (snap) => ({ ...snap, checkpoints: monitor.status() }), onChange: (l) => monitor.onChange(l) }] : [];
    sections.push(...(this.deps.sections?.(host) ?? []));
    const binding = new TelemetryBinding({
      sections,
      webview: panel.webview,
      host,
      telemetry: this.deps.hub.for(host),
      consumerId: `dashboard:${host.id}:${++this.counter}`,
      window: '5m',
      logger: this.deps.logger,
      isVisible: () => panel.visible,
      onRequest: (message) => this.deps.onRequest(host, message),
    });
    this.panels.set(host.id, panel);
    this.hosts.set(host.id, host);
    this.deps.onFocusHost(host);
    panel.onDidChangeViewState(() => {
      binding.visibilityChanged();
      if (panel.active) this.deps.onFocusHost(host);
    });
    panel.onDidDispose(() => {
      binding.dispose();
      releaseCheckpoints?.();
      this.panels.delete(host.id);
      this.hosts.delete(host.id);
      const next = [...this.hosts.values()].at(-1);
      this.deps.onFocusHost(next);
    });
  }

  /** Host ids with an open dashboard (tests and the status bar use this). */
  openHosts(): string[] {
    return [...this.panels.keys()];
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
    this.panels.clear();
  }
}
