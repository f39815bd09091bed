import { isRemoteGpuError, RemoteGpuError } from '../../core/errors';
import type { ProviderCapabilities } from '../../core/providers/capabilities';
import type { Instance } from '../../core/providers/instance';
import type { Offer } from '../../core/providers/offer';
import type { CallOptions, CloudProvider, ProvisionRequest, ProvisionResult, SshKey, SshKeyManager, Stoppable } from '../../core/providers/provider';
import type { ProviderDeps } from '../../core/providers/providerDeps';
import { keyComment, keyMaterial, sameKeyMaterial } from '../../core/providers/sshKeys';
import { VAST_DEFAULT_ENDPOINT, VastApi } from './api';
import { parseVastOfferId, toVastInstance, toVastOffer } from './mapping';
import { t } from '../../shared/l10n';

/**
 * A stopped Vast instance bills its disk, and start only succeeds when the same machine's GPUs are free again
 * (providers.md §3.5). Account keys are injected into containers created later.
 */
export const vastCapabilities: ProviderCapabilities = {
  canStop: true,
  stopKeepsBilling: 'disk',
  gpuMayNotReturnOnStart: true,
  canRestart: false,
  // Interruptible rentals are bids (`price` in the create body); offers show min_bid, provisioning does not bid yet.
  hasSpot: false,
  sshKeys: 'account',
  hostKeyFingerprints: false,
  terminateErasesDisk: true,
};

/** A CUDA image whose entrypoint runs sshd with the account keys (runtype ssh). */
export const VAST_DEFAULT_IMAGE = 'pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime';

/** Disk the offers are priced with and instances get by default (GB); Vast fixes it for the instance's life. */
export const VAST_DEFAULT_DISK_GB = 40;

/**
 * The offer search: the official CLI's defaults (verified, not external, rentable, not rented) plus a direct SSH
 * port, so port forwarding and scp work; cheapest first. `allocated_storage` makes dph_total include the disk.
 */
export const VAST_OFFER_FILTERS: Readonly<Record<string, unknown>> = {
  verified: { eq: true },
  external: { eq: false },
  rentable: { eq: true },
  rented: { eq: false },
  num_gpus: { gte: 1 },
  direct_port_count: { gte: 1 },
  order: [['dph_total', 'asc']],
  type: 'ondemand',
  limit: 64,
  allocated_storage: VAST_DEFAULT_DISK_GB,
};

/** Exports the container env to SSH sessions (Vast templates do the same) and keeps vast's tmux off. */
const ONSTART = 'env | grep _ >> /etc/environment; touch ~/.no_auto_tmux';

export interface VastOptions {
  /** The endpoint setting (a proxy or a test server); https://console.vast.ai when absent. */
  readonly endpoint?: string;
}

/** Vast.ai behind the provider contract. */
export class VastProvider implements CloudProvider, Stoppable, SshKeyManager {
  readonly id = 'vast' as const;
  readonly displayName = 'Vast.ai';
  readonly capabilities = vastCapabilities;
  private readonly api: VastApi;
  private readonly clock: ProviderDeps['clock'];

  constructor(deps: ProviderDeps, options: VastOptions = {}) {
    this.clock = deps.clock;
    this.api = new VastApi(deps, options.endpoint ?? VAST_DEFAULT_ENDPOINT);
  }

  async listInstances(options: CallOptions = {}): Promise<Instance[]> {
    const instances = await this.api.instances(options.signal);
    const now = this.clock.now();
    return instances.map((i) => toVastInstance(i, now));
  }

  async getInstance(instanceId: string, options: CallOptions = {}): Promise<Instance> {
    const found = await this.api.instance(instanceId, options.signal);
    if (!found) throw new RemoteGpuError('notFound', t('Vast.ai does not know instance {0} (it may have been destroyed).', instanceId));
    return toVastInstance(found, this.clock.now());
  }

  async listOffers(options: CallOptions = {}): Promise<Offer[]> {
    return (await this.api.searchOffers(VAST_OFFER_FILTERS, options.signal)).map(toVastOffer);
  }

  async provision(request: ProvisionRequest, options: CallOptions = {}): Promise<ProvisionResult> {
    const offerId = parseVastOfferId(request.offerId);
    if (offerId === undefined) throw new RemoteGpuError('config', t('This offer does not come from Vast.ai.'), request.offerId);
    // Keys must be on the account before create (VM instances never get them later): without one the
    // instance would boot unreachable and bill.
    if ((await this.api.sshKeys(options.signal)).length === 0) {
      throw new RemoteGpuError('config', t('Vast.ai has no SSH key on the account, so the instance could not be reached. Upload a key first.'));
    }
    const newId = await this.api.create(
      offerId,
      {
        client_id: 'me',
        image: request.image ?? VAST_DEFAULT_IMAGE,
        disk: request.diskGiB ?? VAST_DEFAULT_DISK_GB,
        label: request.name.slice(0, 64),
        runtype: 'ssh_direct',
        env: {},
        onstart: ONSTART,
        target_state: 'running',
        // Fail now rather than queue for GPUs that are no longer there.
        cancel_unavail: true,
      },
      options.signal,
    );
    return { instanceId: String(newId) };
  }

  /** Destroying an instance Vast no longer knows is success: the goal (nothing left, nothing billed) holds. */
  async terminate(instanceId: string, options: CallOptions = {}): Promise<void> {
    try {
      await this.api.destroy(instanceId, options.signal);
    } catch (e) {
      if (isRemoteGpuError(e) && e.reason === 'notFound') return;
      throw e;
    }
  }

  /** Setting `state` is idempotent on Vast's side: stopping a stopped instance answers success. */
  async stop(instanceId: string, options: CallOptions = {}): Promise<void> {
    await this.api.manage(instanceId, 'stopped', options.signal);
  }

  /** May leave the instance waiting for its machine's GPUs ("scheduling"): see gpuMayNotReturnOnStart. */
  async start(instanceId: string, options: CallOptions = {}): Promise<void> {
    await this.api.manage(instanceId, 'running', options.signal);
  }

  async listSshKeys(options: CallOptions = {}): Promise<SshKey[]> {
    return (await this.api.sshKeys(options.signal)).map((k) => toSshKey(k.id, k.key));
  }

  async uploadSshKey(key: { readonly name: string; readonly publicKey: string }, options: CallOptions = {}): Promise<SshKey> {
    const existing = (await this.api.sshKeys(options.signal)).find((k) => sameKeyMaterial(k.key, key.publicKey));
    if (existing !== undefined) return toSshKey(existing.id, existing.key);
    const line = keyComment(key.publicKey) ? key.publicKey.trim() : `${keyMaterial(key.publicKey)} ${key.name}`;
    const added = await this.api.addSshKey(line, options.signal);
    return toSshKey(added.id, added.public_key);
  }
}

function toSshKey(id: number, line: string): SshKey {
  return { id: String(id), name: keyComment(line) || String(id), publicKey: line.trim() };
}
