import * as vscode from 'vscode';
import { toRemoteGpuError } from '../../core/errors';
import type { SshHost } from '../../core/hosts/sshHost';
import type { Logger } from '../../core/logger';
import type { GpuInventoryService } from '../../core/services/gpuInventoryService';
import type { GpuInfo } from '../../core/telemetry/gpuInventory';
import type { HostCatalogSnapshot } from '../hosts/hostCatalog';
import { instanceHostId } from '../../core/hosts/instanceSshHost';
import type { ProviderId } from '../../core/providers/providerId';
import { CloudBranch, type CloudBranchDeps } from './cloudBranch';
import type { ForwardNode, HostNode, InstanceNode, MessageNode, ProviderNode, TreeNode } from './nodes';
import { toTreeItem } from './treeItems';

export interface InstancesTreeDeps {
  readonly logger: Logger;
  readonly loadHosts: () => Promise<HostCatalogSnapshot>;
  readonly inventory: GpuInventoryService;
  /** Sets `remoteGpu.loaded` / `remoteGpu.hasHosts`, which drive the welcome view. */
  readonly setContext: (key: string, value: boolean) => void;
  /** The live one-line reading of a GPU while its host is streamed (LiveGpuUpdates), else undefined. */
  readonly liveReading?: (host: SshHost, gpu: GpuInfo) => string | undefined;
  /** The host's port forwards, listed before its GPUs (src/vscode/connect). */
  readonly forwardsOf?: (host: SshHost) => ForwardNode[];
  /** Cloud providers after the SSH hosts; absent in tests that need only SSH. */
  readonly cloud?: Omit<CloudBranchDeps, 'fire' | 'logger'>;
  /** Extra text for a host's or instance's node (the newest checkpoint's age, src/vscode/checkpoints). */
  readonly hostExtra?: (hostId: string) => { description: string; tooltip: string } | undefined;
}

// One node object (the tree view keys its parents by identity); the label is read when drawn, in the display language.
const SSH_PROVIDER: ProviderNode = {
  kind: 'provider',
  providerId: 'ssh',
  get label() {
    return vscode.l10n.t('SSH Hosts');
  },
};

/**
 * The Instances view. Host nodes are kept by id so that a retry can refresh exactly one host: VS Code finds the
 * element to refresh by object identity.
 */
export class InstancesTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private snapshot: Promise<HostCatalogSnapshot> | undefined;
  private hostNodes = new Map<string, HostNode>();
  /** The cloud providers' part of the tree (undefined without deps.cloud). */
  readonly cloud: CloudBranch | undefined;

  constructor(private readonly deps: InstancesTreeDeps) {
    this.cloud = deps.cloud ? new CloudBranch({ ...deps.cloud, logger: deps.logger.child('cloud'), fire: (node) => this.changed.fire(node) }) : undefined;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = toTreeItem(node);
    // A stopped instance has no SSH host but still costs (its disk): it is asked by its instance host id.
    const hostId = node.kind === 'host' ? node.host.id : node.kind === 'instance' ? (node.host?.id ?? instanceHostId(node.instance)) : undefined;
    const extra = hostId ? this.deps.hostExtra?.(hostId) : undefined;
    if (extra) {
      // Some extras only have a tooltip (auto-stop's verdict while nothing is short enough for the line).
      if (extra.description) item.description = item.description ? `${String(item.description)} · ${extra.description}` : extra.description;
      if (extra.tooltip && item.tooltip instanceof vscode.MarkdownString) item.tooltip.appendMarkdown('\n\n').appendText(extra.tooltip);
      else if (extra.tooltip) item.tooltip = item.tooltip ? `${item.tooltip}\n${extra.tooltip}` : extra.tooltip;
    }
    return item;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      if (!node) return await this.roots();
      if (node.kind === 'provider') return node.providerId === 'ssh' ? await this.hostsOf() : (await this.cloud?.children(node)) ?? [];
      if (node.kind === 'host') return [...this.forwardsOf(node.host), ...(await this.gpusOf(node.host))];
      if (node.kind === 'instance' && node.host) return [...this.forwardsOf(node.host), ...(await this.gpusOf(node.host))];
      return [];
    } catch (e) {
      // A tree callback must never throw into VS Code: it would blank the whole view.
      this.deps.logger.error('tree: unexpected failure', e);
      const error = toRemoteGpuError(e);
      return [{ kind: 'message', id: `failure:${node?.kind ?? 'root'}`, label: error.message, severity: 'warning' }];
    }
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.kind === 'host') return SSH_PROVIDER;
    if (node.kind === 'gpu' || node.kind === 'error' || node.kind === 'forward') return this.hostNodes.get(node.host.id) ?? this.cloud?.instanceNodeOfHost(node.host.id);
    if (node.kind === 'instance' || node.kind === 'apiKeyMissing' || node.kind === 'providerError') return this.cloud?.providerNode(node.providerId);
    return undefined;
  }

  /** All hosts currently listed (SSH hosts, then running cloud instances), for commands invoked from the palette. */
  async hosts(): Promise<SshHost[]> {
    return [...(await this.load()).hosts, ...(this.cloud?.hosts() ?? [])];
  }

  findHost(hostId: string): SshHost | undefined {
    return this.hostNodes.get(hostId)?.host ?? this.cloud?.instanceNodeOfHost(hostId)?.host;
  }

  /** The instance nodes currently listed, for lifecycle commands run from the palette. */
  instances(): InstanceNode[] {
    return this.cloud?.instances() ?? [];
  }

  /** A provider key or endpoint changed: provider nodes are rebuilt from the root and their lists asked again. */
  refreshCloud(id?: ProviderId): void {
    this.cloud?.forget(id);
    this.changed.fire(undefined);
  }

  /** Asks one cloud provider for its instances again and redraws it. */
  refreshProvider(id: ProviderId): void {
    this.cloud?.refresh(id);
  }

  /** Re-reads ssh config and settings and forgets every GPU list. */
  refreshAll(): void {
    this.snapshot = undefined;
    this.deps.inventory.clear();
    this.cloud?.refresh();
    this.changed.fire(undefined);
  }

  /** Forgets one host's GPU list and redraws only that host. */
  refreshHost(hostId: string): void {
    this.deps.inventory.invalidate(hostId);
    const node = this.hostNodes.get(hostId) ?? this.cloud?.instanceNodeOfHost(hostId);
    this.changed.fire(node);
  }

  /** Redraws one host's children with fresh live readings, keeping its GPU list. */
  redrawHost(hostId: string): void {
    const node = this.hostNodes.get(hostId) ?? this.cloud?.instanceNodeOfHost(hostId);
    if (node) this.changed.fire(node);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private load(): Promise<HostCatalogSnapshot> {
    if (!this.snapshot) {
      this.snapshot = this.deps.loadHosts();
      this.snapshot.catch(() => (this.snapshot = undefined));
    }
    return this.snapshot;
  }

  /**
   * SSH hosts first, then one node per shown cloud provider. With no SSH host and no provider key the tree stays
   * empty, so the welcome view (Add SSH Host / Set Up a Cloud Provider) shows instead of four "not set up" rows.
   */
  private async roots(): Promise<TreeNode[]> {
    const { hosts, problems } = await this.load();
    const hasSsh = hosts.length > 0 || problems.length > 0;
    const cloud = await this.cloudRoots(hasSsh);
    this.deps.setContext('remoteGpu.hasHosts', hasSsh || cloud.length > 0);
    this.deps.setContext('remoteGpu.loaded', true);
    return [...(hasSsh ? [SSH_PROVIDER] : []), ...cloud];
  }

  private async cloudRoots(hasSsh: boolean): Promise<TreeNode[]> {
    const cloud = this.cloud;
    if (!cloud) return [];
    try {
      return hasSsh || (await cloud.anyConfigured()) ? await cloud.roots() : [];
    } catch (e) {
      // SecretStorage failing must not hide the SSH hosts.
      this.deps.logger.error('tree: cloud providers unavailable', e);
      return [];
    }
  }

  private async hostsOf(): Promise<TreeNode[]> {
    const { hosts, problems } = await this.load();
    const next = new Map<string, HostNode>();
    for (const host of hosts) {
      const old = this.hostNodes.get(host.id);
      next.set(host.id, old && sameHost(old.host, host) ? old : { kind: 'host', host });
    }
    this.hostNodes = next;
    const nodes: TreeNode[] = [...next.values()];
    if (problems.length > 0) nodes.push(problemsNode(problems));
    return nodes;
  }

  private forwardsOf(host: SshHost): ForwardNode[] {
    return this.deps.forwardsOf?.(host) ?? [];
  }

  private async gpusOf(host: SshHost): Promise<TreeNode[]> {
    try {
      const gpus = await this.deps.inventory.get(host);
      if (gpus.length === 0) {
        return [{ kind: 'message', id: `nogpu:${host.id}`, label: vscode.l10n.t('No NVIDIA GPUs found'), severity: 'info' }];
      }
      return gpus.map((gpu) => {
        const live = this.deps.liveReading?.(host, gpu);
        return live === undefined ? { kind: 'gpu', host, gpu } : { kind: 'gpu', host, gpu, live };
      });
    } catch (e) {
      const error = toRemoteGpuError(e);
      if (error.reason !== 'cancelled') this.deps.logger.warn(`${host.label}: ${error.reason}: ${error.message}${error.detail ? ` (${error.detail})` : ''}`);
      return [{ kind: 'error', host, error }];
    }
  }
}

function problemsNode(problems: string[]): MessageNode {
  const label = problems.length === 1 ? vscode.l10n.t('1 host entry skipped') : vscode.l10n.t('{0} host entries skipped', problems.length);
  return { kind: 'message', id: 'ssh-problems', label, tooltip: problems.join('\n'), severity: 'warning' };
}

function sameHost(a: SshHost, b: SshHost): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
