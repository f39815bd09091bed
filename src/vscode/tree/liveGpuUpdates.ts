import type * as vscode from 'vscode';
import type { SshHost } from '../../core/hosts/sshHost';
import type { GpuInventoryService } from '../../core/services/gpuInventoryService';
import type { TelemetryHub } from '../../core/services/telemetry/telemetryHub';
import type { GpuInfo } from '../../core/telemetry/gpuInventory';
import { formatGpuLive } from '../../core/telemetry/gpuSummary';
import type { InstancesTreeProvider } from './instancesTree';
import type { TreeNode } from './nodes';

/** The tree is read at a glance; redrawing it more than once a second only costs CPU. */
const MIN_REDRAW_MS = 1000;

interface Watched {
  readonly host: SshHost;
  release?: () => void;
  unsubscribe?: () => void;
  lastRedraw: number;
  pending?: ReturnType<typeof setTimeout>;
}

/**
 * Live readings in GPU node descriptions: a host is streamed while its node is expanded, it has GPUs, and the view
 * is visible. Collapse it or hide the view and its stream is released (and stops when nothing else needs it).
 */
export class LiveGpuUpdates implements vscode.Disposable {
  private readonly watched = new Map<string, Watched>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly view: vscode.TreeView<TreeNode>,
    private readonly tree: InstancesTreeProvider,
    private readonly hub: TelemetryHub,
    private readonly inventory: GpuInventoryService,
  ) {
    this.subscriptions.push(
      view.onDidExpandElement((e) => {
        const host = hostOf(e.element);
        if (host) void this.expand(host);
      }),
      view.onDidCollapseElement((e) => {
        const host = hostOf(e.element);
        if (host) this.forget(host.id);
      }),
      view.onDidChangeVisibility(() => this.sync()),
    );
  }

  /** For the tree: the live text of a GPU, when its host is being watched. */
  reading(host: SshHost, gpu: GpuInfo): string | undefined {
    const w = this.watched.get(host.id);
    if (!w?.release) return undefined;
    const sample = this.hub.for(host).latest().gpus.find((g) => g.uuid === gpu.uuid || g.index === gpu.index);
    return sample ? formatGpuLive(sample.metrics) : undefined;
  }

  dispose(): void {
    for (const id of [...this.watched.keys()]) this.forget(id);
    for (const s of this.subscriptions) s.dispose();
  }

  private async expand(host: SshHost): Promise<void> {
    const gpus = await this.inventory.get(host).catch(() => []);
    // No GPUs or an unreachable host: nothing to stream, and a failing stream would only retry in the background.
    if (gpus.length === 0 || this.watched.has(host.id)) return;
    this.watched.set(host.id, { host, lastRedraw: 0 });
    this.sync();
  }

  private sync(): void {
    for (const w of this.watched.values()) {
      if (this.view.visible && !w.release) {
        const telemetry = this.hub.for(w.host);
        w.release = telemetry.acquire(`tree:${w.host.id}`);
        w.unsubscribe = telemetry.onChange(() => this.schedule(w));
      } else if (!this.view.visible && w.release) {
        this.stop(w);
        this.tree.redrawHost(w.host.id);
      }
    }
  }

  private schedule(w: Watched): void {
    if (w.pending) return;
    const wait = Math.max(0, w.lastRedraw + MIN_REDRAW_MS - Date.now());
    w.pending = setTimeout(() => {
      w.pending = undefined;
      w.lastRedraw = Date.now();
      this.tree.redrawHost(w.host.id);
    }, wait);
  }

  private stop(w: Watched): void {
    if (w.pending) clearTimeout(w.pending);
    w.pending = undefined;
    w.unsubscribe?.();
    w.release?.();
    w.unsubscribe = undefined;
    w.release = undefined;
  }

  private forget(hostId: string): void {
    const w = this.watched.get(hostId);
    if (w) this.stop(w);
    this.watched.delete(hostId);
  }
}

/** SSH hosts and running cloud instances expand to their GPUs alike. */
function hostOf(node: TreeNode): SshHost | undefined {
  if (node.kind === 'host') return node.host;
  if (node.kind === 'instance') return node.host;
  return undefined;
}
