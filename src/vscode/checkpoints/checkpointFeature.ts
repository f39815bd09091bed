import * as vscode from 'vscode';
import type { LastDownload } from '../../core/checkpoints/terminateRule';
import type { SshHost } from '../../core/hosts/sshHost';
import type { Logger } from '../../core/logger';
import { formatUptime } from '../../core/providers/instanceSummary';
import { CheckpointMonitors } from '../../core/services/checkpoints/checkpointMonitor';
import type { HostCheckpointMonitor } from '../../core/services/checkpoints/checkpointMonitor';
import type { TelemetryHub } from '../../core/services/telemetry/telemetryHub';
import { lookAtCheckpoints } from '../../remote/checkpoints/checkpointScanner';
import type { SshConnection } from '../../remote/sshConnection';
import { nodeTimers } from '../../remote/telemetry/nodeTelemetryPorts';
import type { TreeNode } from '../tree/nodes';
import { lastDownloadKey } from './downloadLatestCheckpoint';
import { CHECKPOINTS_SECTION, checkpointSettingsFor, PROGRESS_FILES_SETTING, scanIntervalMs } from './checkpointSettingsReader';

export interface CheckpointFeatureDeps {
  connection(host: SshHost): Promise<SshConnection>;
  readonly hub: TelemetryHub;
  /** globalState: the Download command's remembered folders and last downloads. */
  readonly state: vscode.Memento;
  readonly logger: Logger;
  /** Redraws one host's node (its description carries the checkpoint age). */
  redrawHost(hostId: string): void;
}

/**
 * Checkpoints in the UI: one monitor per host (src/core/services/checkpoints), held by the dashboard, by an
 * expanded host/instance node in the visible tree, and by auto-stop. Auto-stop subscribes with
 * `feature.monitors.for(host).onNewCheckpoint(...)` and holds it with `.acquire('autoStop')`.
 */
export class CheckpointFeature implements vscode.Disposable {
  readonly monitors: CheckpointMonitors;
  private readonly treeHolds = new Map<string, { host: SshHost; release?: () => void; unsubscribe?: () => void; shown?: string }>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: CheckpointFeatureDeps) {
    this.monitors = new CheckpointMonitors({
      look: async (host, settings, signal) => {
        const look = await lookAtCheckpoints(await deps.connection(host), settings, { signal });
        return { checkpoints: look.checkpoints, remoteNowMs: look.scan.remoteNowMs, truncated: look.scan.truncated, ...(look.scan.logs ? { logs: look.scan.logs } : {}) };
      },
      settings: (host) => checkpointSettingsFor(host, deps.state, deps.logger),
      gpuUtilisations: (host) => this.utilisations(host),
      lastDownload: (host) => deps.state.get<LastDownload>(lastDownloadKey(host)),
      intervalMs: scanIntervalMs,
      clock: Date,
      timers: nodeTimers,
      logger: deps.logger,
      newAbort: () => new AbortController(),
    });
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(CHECKPOINTS_SECTION) || e.affectsConfiguration(PROGRESS_FILES_SETTING)) this.monitors.rescanAll();
      }),
    );
  }

  /** Follows the Instances view: a host is looked at while its node is expanded and the view is visible. */
  watchTree(view: vscode.TreeView<TreeNode>): void {
    this.disposables.push(
      view.onDidExpandElement((e) => {
        const host = hostOf(e.element);
        if (host && !this.treeHolds.has(host.id)) this.treeHolds.set(host.id, { host });
        this.syncTree(view.visible);
      }),
      view.onDidCollapseElement((e) => {
        const host = hostOf(e.element);
        if (host) this.releaseTree(host.id, true);
      }),
      view.onDidChangeVisibility(() => this.syncTree(view.visible)),
    );
  }

  /** The short text the tree appends to a host or instance node, when its checkpoints are being looked at. */
  treeText(hostId: string): { description: string; tooltip: string } | undefined {
    const monitor = this.monitors.get(hostId);
    if (!monitor?.running) return undefined;
    const s = monitor.status();
    // Only what a finished look said: "no checkpoint" after a failed or pending look would be a guess.
    if (s.state === 'noFolder' || (s.state !== 'ready' && !s.newest)) return undefined;
    const age = s.newest ? formatUptime(s.newest.ageMs) : undefined;
    const description = s.overdue
      ? vscode.l10n.t('checkpoint overdue')
      : age !== undefined
        ? vscode.l10n.t('checkpoint {0} ago', age)
        : vscode.l10n.t('no checkpoint');
    const tooltip = s.newest ? vscode.l10n.t('Newest checkpoint: {0} ({1} ago)', s.newest.path, age ?? '') : vscode.l10n.t('No checkpoint in {0}', s.root);
    return { description, tooltip };
  }

  dispose(): void {
    for (const id of [...this.treeHolds.keys()]) this.releaseTree(id, false);
    for (const d of this.disposables) d.dispose();
    this.monitors.dispose();
  }

  /** Live utilisations while telemetry streams this host; undefined ("cannot measure") otherwise. */
  private utilisations(host: SshHost): readonly number[] | undefined {
    const telemetry = this.deps.hub.for(host);
    if (!telemetry.running) return undefined;
    const view = telemetry.latest();
    if (view.connection.state !== 'live' || view.gpus.length === 0) return undefined;
    const utils = view.gpus.map((g) => g.metrics.utilizationGpu);
    return utils.every((u): u is number => typeof u === 'number' && Number.isFinite(u)) ? utils : undefined;
  }

  private syncTree(visible: boolean): void {
    for (const hold of this.treeHolds.values()) {
      if (visible && !hold.release) {
        const monitor = this.monitors.for(hold.host);
        hold.release = monitor.acquire(`tree:${hold.host.id}`);
        hold.unsubscribe = monitor.onChange(() => this.redrawIfChanged(hold.host.id, monitor));
      } else if (!visible && hold.release) {
        this.stopHold(hold);
      }
    }
  }

  /** The tree redraws a host only when its text changed: the age moves by the minute, scans come more often. */
  private redrawIfChanged(hostId: string, monitor: HostCheckpointMonitor): void {
    const hold = this.treeHolds.get(hostId);
    if (!hold || !monitor.running) return;
    const text = JSON.stringify(this.treeText(hostId) ?? null);
    if (text === hold.shown) return;
    hold.shown = text;
    this.deps.redrawHost(hostId);
  }

  private releaseTree(hostId: string, redraw: boolean): void {
    const hold = this.treeHolds.get(hostId);
    if (!hold) return;
    this.stopHold(hold);
    this.treeHolds.delete(hostId);
    if (redraw) this.deps.redrawHost(hostId);
  }

  private stopHold(hold: { release?: () => void; unsubscribe?: () => void; shown?: string }): void {
    hold.unsubscribe?.();
    hold.release?.();
    delete hold.unsubscribe;
    delete hold.release;
    delete hold.shown;
  }
}

function hostOf(node: TreeNode): SshHost | undefined {
  if (node.kind === 'host') return node.host;
  if (node.kind === 'instance') return node.host;
  return undefined;
}
