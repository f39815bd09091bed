import * as vscode from 'vscode';
import type { SshHost } from '../../core/hosts/sshHost';
import type { TelemetryHub } from '../../core/services/telemetry/telemetryHub';
import { summarizeGpus } from '../../core/telemetry/gpuSummary';

/**
 * Mean utilisation and memory of the focused host (the last dashboard or tree host the user looked at). It holds a
 * telemetry consumer for that host only; no host focused, no item and no stream.
 */
export class GpuStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('remoteGpu.status', vscode.StatusBarAlignment.Left, 50);
  private host: SshHost | undefined;
  private release: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastDraw = 0;

  constructor(private readonly hub: TelemetryHub) {
    this.item.name = vscode.l10n.t('Remote GPU');
  }

  focus(host: SshHost | undefined): void {
    if (host?.id === this.host?.id) return;
    this.stop();
    this.host = host;
    if (!host) return;
    const telemetry = this.hub.for(host);
    this.release = telemetry.acquire(`statusbar:${host.id}`);
    this.unsubscribe = telemetry.onChange(() => this.draw());
    this.item.command = { command: 'remoteGpu.openDashboard', title: vscode.l10n.t('Open GPU Dashboard'), arguments: [host.id] };
    this.draw(true);
    this.item.show();
  }

  dispose(): void {
    this.stop();
    this.item.dispose();
  }

  private draw(force = false): void {
    const host = this.host;
    if (!host) return;
    // The status bar is glanced at, not read: once a second is plenty, whatever the sampling interval.
    const now = Date.now();
    if (!force && now - this.lastDraw < 1000) return;
    this.lastDraw = now;
    const view = this.hub.for(host).latest();
    const s = summarizeGpus(view.gpus.map((g) => g.metrics), view.connection.state, view.connection.error?.message);
    this.item.text = `$(pulse) ${host.label}: ${s.text}`;
    this.item.tooltip = `${host.label}\n${s.tooltip}\n${vscode.l10n.t('Click to open the GPU dashboard.')}`;
    this.item.backgroundColor = s.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  private stop(): void {
    this.unsubscribe?.();
    this.release?.();
    this.unsubscribe = undefined;
    this.release = undefined;
    this.item.hide();
  }
}
