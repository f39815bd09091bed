import * as vscode from 'vscode';
import type { SshHost } from '../../core/hosts/sshHost';
import type { Logger } from '../../core/logger';
import type { TelemetryHub } from '../../core/services/telemetry/telemetryHub';
import type { WebviewToHostMessage } from '../../shared/dashboardMessages';
import { TelemetryBinding } from './telemetryBinding';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';

export const GPU_MONITOR_VIEW_ID = 'remoteGpu.monitor';

/**
 * The compact GPU Monitor in the sidebar: sparklines for the host selected in the Instances view. It holds a
 * telemetry consumer only while it is visible, so a collapsed section costs nothing on the GPU host.
 */
export class GpuMonitorView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private host: SshHost | undefined;
  private binding: TelemetryBinding | undefined;
  private counter = 0;

  constructor(
    private readonly deps: {
      readonly extensionUri: vscode.Uri;
      readonly hub: TelemetryHub;
      readonly logger: Logger;
      readonly onRequest: (host: SshHost, message: WebviewToHostMessage) => void;
    },
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.deps.extensionUri);
    view.onDidChangeVisibility(() => this.rebind());
    view.onDidDispose(() => {
      this.binding?.dispose();
      this.binding = undefined;
      this.view = undefined;
    });
    this.rebind();
  }

  /** Follows the selection in the Instances view. */
  show(host: SshHost | undefined): void {
    if (host?.id === this.host?.id) return;
    this.host = host;
    this.rebind();
  }

  dispose(): void {
    this.binding?.dispose();
  }

  private rebind(): void {
    this.binding?.dispose();
    this.binding = undefined;
    const view = this.view;
    if (!view) return;
    const host = this.host;
    view.description = host?.label;
    if (!host) {
      view.webview.html = placeholderHtml(vscode.l10n.t('Select a host in the Instances view to see its GPUs here.'));
      return;
    }
    if (!view.visible) return;
    view.webview.html = renderWebviewHtml(view.webview, this.deps.extensionUri, 'monitor', vscode.l10n.t('GPU Monitor'));
    this.binding = new TelemetryBinding({
      webview: view.webview,
      host,
      telemetry: this.deps.hub.for(host),
      consumerId: `monitor:${host.id}:${++this.counter}`,
      window: '5m',
      logger: this.deps.logger,
      isVisible: () => view.visible,
      onRequest: (message) => this.deps.onRequest(host, message),
    });
  }
}

/** A script-free page: nothing to allow in its CSP. */
function placeholderHtml(text: string): string {
  const safe = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html><html><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"></head><body><p style="color: var(--vscode-descriptionForeground); padding: 0 8px">${safe}</p></body></html>`;
}
