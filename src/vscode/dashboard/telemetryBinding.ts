import type * as vscode from 'vscode';
import type { SshHost } from '../../core/hosts/sshHost';
import type { Logger } from '../../core/logger';
import type { HostTelemetry } from '../../core/services/telemetry/hostTelemetry';
import { parseWebviewMessage, type SnapshotMessage, type WebviewToHostMessage } from '../../shared/dashboardMessages';
import type { HistoryWindow } from '../../shared/gpuMetrics';
import { PROTOCOL_VERSION } from '../../shared/telemetryProtocol';

export interface TelemetryBindingOptions {
  readonly webview: vscode.Webview;
  readonly host: SshHost;
  readonly telemetry: HostTelemetry;
  /** Unique per webview: the telemetry service counts consumers by id. */
  readonly consumerId: string;
  readonly window: HistoryWindow;
  readonly logger: Logger;
  readonly isVisible: () => boolean;
  /** Requests other than ready/selectWindow/retry, which the binding handles itself. */
  readonly onRequest: (message: WebviewToHostMessage) => void;
  /**
   * More sections of the same full snapshot (the checkpoint status), each with its own change event: the snapshot
   * stays one message, built whole on every post.
   */
  readonly sections?: readonly SnapshotSection[];
}

/** A part of the snapshot that is not telemetry: it fills its field and says when it changed. */
export interface SnapshotSection {
  extend(snapshot: SnapshotMessage): SnapshotMessage;
  onChange(listener: () => void): () => void;
}

/**
 * Connects one webview to one host's telemetry: holds a consumer reference (so the stream runs while the webview
 * is open), posts a full snapshot on every change while the webview is visible and ready, and validates every
 * message that comes back. An invalid message is logged and dropped.
 */
export class TelemetryBinding implements vscode.Disposable {
  private readonly release: () => void;
  private readonly unsubscribe: () => void;
  private readonly messages: vscode.Disposable;
  private window: HistoryWindow;
  private ready = false;
  private dirty = true;
  private posting = false;

  constructor(private readonly o: TelemetryBindingOptions) {
    this.window = o.window;
    this.release = o.telemetry.acquire(o.consumerId);
    const unsubscribes = [o.telemetry.onChange(() => this.changed()), ...(o.sections ?? []).map((x) => x.onChange(() => this.changed()))];
    this.unsubscribe = () => unsubscribes.forEach((u) => u());
    this.messages = o.webview.onDidReceiveMessage((data: unknown) => this.receive(data));
  }

  /** Call when the webview becomes visible: it gets the snapshot it missed while hidden. */
  visibilityChanged(): void {
    if (this.ready && this.o.isVisible() && this.dirty) void this.post();
  }

  dispose(): void {
    this.unsubscribe();
    this.release();
    this.messages.dispose();
  }

  private changed(): void {
    if (this.ready && this.o.isVisible()) void this.post();
    else this.dirty = true;
  }

  private receive(data: unknown): void {
    const parsed = parseWebviewMessage(data);
    if (!parsed.ok) {
      this.o.logger.warn(`dropped an invalid message from the ${this.o.host.label} webview: ${parsed.error}`);
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'ready':
        if (message.protocolVersion !== PROTOCOL_VERSION) {
          this.o.logger.warn(`webview speaks protocol ${message.protocolVersion}, host ${PROTOCOL_VERSION}; reload the window`);
          return;
        }
        this.ready = true;
        void this.post();
        return;
      case 'selectWindow':
        this.window = message.window;
        void this.post();
        return;
      case 'retry':
        this.o.telemetry.retry();
        return;
      default:
        this.o.onRequest(message);
    }
  }

  /** One post in flight at a time; changes that land meanwhile are sent right after, as one newer snapshot. */
  private async post(): Promise<void> {
    this.dirty = true;
    if (this.posting) return;
    this.posting = true;
    try {
      while (this.dirty && this.o.isVisible()) {
        this.dirty = false;
        let snapshot = this.o.telemetry.snapshot(this.window, this.o.host.label);
        for (const section of this.o.sections ?? []) snapshot = section.extend(snapshot);
        await this.o.webview.postMessage(snapshot);
      }
    } catch (e) {
      this.o.logger.warn(`could not post a snapshot to the ${this.o.host.label} webview: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.posting = false;
    }
  }
}
