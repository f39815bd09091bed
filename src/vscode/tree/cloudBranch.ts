import * as vscode from 'vscode';
import { toRemoteGpuError, type RemoteGpuError } from '../../core/errors';
import { instanceHostId } from '../../core/hosts/instanceSshHost';
import { sameEndpoint, type SshHost } from '../../core/hosts/sshHost';
import type { Logger } from '../../core/logger';
import type { Instance } from '../../core/providers/instance';
import { isTransitional } from '../../core/providers/instanceSummary';
import type { CloudProvider } from '../../core/providers/provider';
import type { ProviderId } from '../../core/providers/providerId';
import type { RecentListing } from '../../core/services/cost/costTracker';
import type { CloudProviderNode, InstanceNode, TreeNode } from './nodes';

/** What the tree needs from the provider registry (an interface, so the tree does not build clients itself). */
export interface CloudSource {
  all(): Promise<readonly { readonly id: ProviderId; readonly displayName: string; readonly configured: boolean }[]>;
  get(id: ProviderId): Promise<CloudProvider>;
}

export interface CloudBranchDeps {
  readonly source: CloudSource;
  readonly logger: Logger;
  /** Providers the user wants in the tree (remoteGpu.providers.visible). */
  readonly visible: () => readonly ProviderId[];
  /** An instance's SSH host: InstanceHosts.hostOf, the one mapping every caller shares. */
  readonly hostOf: (instance: Instance) => SshHost | undefined;
  /** An instance's SSH endpoint changed or went away: forget its pooled connection and GPU list. */
  readonly forgetHost: (hostId: string) => void;
  /** A running instance's host as now listed (telemetry follows an instance that came back at another address). */
  readonly hostChanged?: (host: SshHost) => void;
  /** An instance is terminated or no longer listed by its provider: forget everything kept for it. */
  readonly hostGone?: (hostId: string) => void;
  /** A provider answered with its instances (not called when the listing failed): Connect prunes its entries. */
  readonly onListed?: (id: ProviderId, instances: readonly Instance[]) => void;
  /** Redraw one node (undefined: the whole tree). */
  readonly fire: (node: TreeNode | undefined) => void;
}

type ListResult = { readonly ok: true; readonly instances: Instance[] } | { readonly ok: false; readonly error: RemoteGpuError };

/**
 * The cloud half of the Instances view: one node per provider, its instances, and a running instance's SSH host.
 * Lists are kept between redraws and refreshed by poll(); a failing provider becomes one error child with Retry and
 * the others are unaffected. Node objects are kept by id: VS Code finds the element to refresh by identity.
 */
export class CloudBranch {
  private providerNodes = new Map<ProviderId, CloudProviderNode>();
  private readonly lists = new Map<ProviderId, ListResult>();
  private readonly loading = new Map<ProviderId, { readonly generation: number; readonly result: Promise<ListResult> }>();
  /**
   * Bumped by refresh/forget: a listing asked for before (a poll in flight while an instance was being stopped) is
   * older than the change that caused the refresh, so it is neither joined nor allowed to overwrite the fresh one.
   */
  private readonly generations = new Map<ProviderId, number>();
  /** Each provider's newest answer and when it came, kept through refresh(): the cost tracker reuses it. */
  private readonly latest = new Map<ProviderId, RecentListing>();
  private instanceNodes = new Map<string, InstanceNode>();
  private lastFire = 0;

  constructor(private readonly deps: CloudBranchDeps) {}

  /** The provider nodes, in tree order, for the providers the user shows. */
  async roots(): Promise<CloudProviderNode[]> {
    const visible = new Set(this.deps.visible());
    const infos = (await this.deps.source.all()).filter((p) => visible.has(p.id));
    const next = new Map<ProviderId, CloudProviderNode>();
    for (const p of infos) {
      const old = this.providerNodes.get(p.id);
      next.set(p.id, old && old.configured === p.configured && old.label === p.displayName ? old : { kind: 'provider', providerId: p.id, label: p.displayName, configured: p.configured });
      if (!p.configured) this.unlist(p.id);
    }
    this.providerNodes = next;
    return [...next.values()];
  }

  /** True when at least one provider has a key: then the tree shows the cloud group even without SSH hosts. */
  async anyConfigured(): Promise<boolean> {
    const visible = new Set(this.deps.visible());
    return (await this.deps.source.all()).some((p) => p.configured && visible.has(p.id));
  }

  async children(node: CloudProviderNode): Promise<TreeNode[]> {
    if (!node.configured) return [{ kind: 'apiKeyMissing', providerId: node.providerId, label: vscode.l10n.t('API key missing: click to set it') }];
    const result = this.lists.get(node.providerId) ?? (await this.load(node.providerId));
    if (!result.ok) return [{ kind: 'providerError', providerId: node.providerId, error: result.error }];
    // The nodes were built when the list arrived (load), so auto-stop sees them whether or not this was expanded.
    const nodes = result.instances.flatMap((i) => this.instanceNodes.get(instanceHostId(i)) ?? []);
    if (nodes.length === 0) return [{ kind: 'message', id: `noinstances:${node.providerId}`, label: vscode.l10n.t('No instances'), severity: 'info' }];
    return nodes;
  }

  providerNode(id: ProviderId): CloudProviderNode | undefined {
    return this.providerNodes.get(id);
  }

  /** The node of an instance host id (`<provider>:<instanceId>`), for getParent and retry. */
  instanceNodeOfHost(hostId: string): InstanceNode | undefined {
    return this.instanceNodes.get(hostId);
  }

  /** The SSH hosts of running instances currently listed. */
  hosts(): SshHost[] {
    return [...this.instanceNodes.values()].flatMap((n) => (n.host ? [n.host] : []));
  }

  /** Every instance node currently listed (for palette commands). */
  instances(): InstanceNode[] {
    return [...this.instanceNodes.values()];
  }

  /** Forgets one provider's list (or all) and redraws it: the next expand asks the provider again. */
  refresh(id?: ProviderId): void {
    this.forget(id);
    if (id) this.deps.fire(this.providerNodes.get(id));
  }

  /** Forgets lists without redrawing (the caller redraws from the root). */
  forget(id?: ProviderId): void {
    for (const p of id ? [id] : [...new Set([...this.lists.keys(), ...this.loading.keys()])]) {
      this.lists.delete(p);
      this.generations.set(p, this.generationOf(p) + 1);
    }
  }

  private generationOf(id: ProviderId): number {
    return this.generations.get(id) ?? 0;
  }

  /**
   * The newest listing of a provider (awaited while one is in flight), for the cost tracker: with the view hidden
   * and auto-stop on, its minute and the poller's would otherwise both call every provider.
   */
  async latestListing(id: ProviderId): Promise<RecentListing | undefined> {
    await this.loading.get(id)?.result;
    return this.latest.get(id);
  }

  /** True while any listed instance is on its way somewhere: the poller then asks more often. */
  anyTransitional(): boolean {
    return [...this.lists.values()].some((r) => r.ok && r.instances.some((i) => isTransitional(i.state)));
  }

  /**
   * Asks every configured provider for its instances, also one the view never showed or expanded (auto-stop and the
   * dashboards need its running instances all the same), and redraws the shown providers whose list changed (and
   * every shown provider once a minute, for the uptimes).
   */
  async poll(): Promise<void> {
    const minuteTick = Date.now() - this.lastFire >= 60_000;
    const all = await this.deps.source.all();
    for (const p of all) if (!p.configured) this.unlist(p.id);
    await Promise.all(
      all.filter((p) => p.configured).map(async ({ id }) => {
        const before = this.lists.get(id);
        const after = await this.load(id);
        const shown = this.providerNodes.get(id);
        if (shown && (minuteTick || !sameResult(before, after))) this.deps.fire(shown);
      }),
    );
    if (minuteTick) this.lastFire = Date.now();
  }

  private load(id: ProviderId): Promise<ListResult> {
    const generation = this.generationOf(id);
    const inFlight = this.loading.get(id);
    if (inFlight && inFlight.generation === generation) return inFlight.result;
    const fetched = (async (): Promise<{ readonly provider?: CloudProvider; readonly outcome: ListResult }> => {
      try {
        const provider = await this.deps.source.get(id);
        return { provider, outcome: { ok: true, instances: await provider.listInstances() } };
      } catch (e) {
        const error = toRemoteGpuError(e);
        this.deps.logger.warn(`${id}: listing instances failed: ${error.reason}: ${error.message}${error.detail ? ` (${error.detail})` : ''}`);
        return { outcome: { ok: false, error } };
      }
    })();
    const result = fetched.then(({ provider, outcome }): ListResult => {
      if (this.loading.get(id)?.result === result) this.loading.delete(id);
      // A listing overtaken by a refresh says how things were before the change (a stop, a start): the newer decides.
      if (generation !== this.generationOf(id)) return outcome;
      if (outcome.ok && provider) {
        this.deps.onListed?.(id, outcome.instances);
        this.syncNodes(provider, outcome.instances);
      }
      this.lists.set(id, outcome);
      this.latest.set(id, { at: Date.now(), ...outcome });
      return outcome;
    });
    this.loading.set(id, { generation, result });
    return result;
  }

  /** A provider without a key: its list and nodes go (not its instances' state: they may well still run). */
  private unlist(id: ProviderId): void {
    this.lists.delete(id);
    this.latest.delete(id);
    for (const key of [...this.instanceNodes.keys()]) if (key.startsWith(`${id}:`)) this.instanceNodes.delete(key);
  }

  /**
   * A provider's successful listing is the truth about its instances: nodes for the live ones (kept by identity while
   * unchanged), and everything kept for one that is terminated or gone is forgotten.
   */
  private syncNodes(provider: CloudProvider, instances: readonly Instance[]): void {
    const live = instances.filter((i) => i.state !== 'terminated');
    const listed = new Set(live.map(instanceHostId));
    for (const key of [...this.instanceNodes.keys()]) {
      if (!key.startsWith(`${provider.id}:`) || listed.has(key)) continue;
      this.instanceNodes.delete(key);
      this.deps.forgetHost(key);
      this.deps.hostGone?.(key);
    }
    for (const instance of live) this.instanceNode(provider, instance);
  }

  private instanceNode(provider: CloudProvider, instance: Instance): InstanceNode {
    const host = this.deps.hostOf(instance);
    const key = instanceHostId(instance);
    const old = this.instanceNodes.get(key);
    if (old && JSON.stringify(old.instance) === JSON.stringify(instance) && JSON.stringify(old.host) === JSON.stringify(host)) return old;
    // A new address (restart elsewhere) or none (stopped): the pooled connection and GPU list are stale. A new name,
    // price or key list is not: the connection still serves it.
    if (old?.host && !(host && sameEndpoint(old.host, host))) this.deps.forgetHost(old.host.id);
    if (host) this.deps.hostChanged?.(host);
    const node: InstanceNode = { kind: 'instance', providerId: provider.id, instance, capabilities: provider.capabilities, ...(host ? { host } : {}) };
    this.instanceNodes.set(key, node);
    return node;
  }
}

function sameResult(a: ListResult | undefined, b: ListResult): boolean {
  if (!a || a.ok !== b.ok) return false;
  if (!a.ok || !b.ok) return !a.ok && !b.ok && a.error.reason === b.error.reason && a.error.message === b.error.message;
  return JSON.stringify(a.instances) === JSON.stringify(b.instances);
}
