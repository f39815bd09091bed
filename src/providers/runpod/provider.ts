import { isRemoteGpuError, RemoteGpuError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { ProviderCapabilities } from '../../core/providers/capabilities';
import type { Instance, InstanceState } from '../../core/providers/instance';
import type { Offer } from '../../core/providers/offer';
import type {
  CallOptions,
  CloudProvider,
  ProvisionRequest,
  ProvisionResult,
  Restartable,
  SshKey,
  SshKeyManager,
  Stoppable,
} from '../../core/providers/provider';
import type { ProviderDeps } from '../../core/providers/providerDeps';
import type { Clock } from '../../core/providers/time';
import { keyComment, keyMaterial, sameKeyMaterial } from '../../core/providers/sshKeys';
import { RUNPOD_DEFAULT_ENDPOINT, RunPodApi, type PodAction } from './api';
import { parseRunPodOfferId, toRunPodInstance, toRunPodOffers } from './mapping';
import type { RunPodSpotPrices } from './schemas';
import { t } from '../../shared/l10n';

/** A stopped pod bills its volume (at double rate) and may restart with zero GPUs (providers.md §2.5, §2.7). */
export const runpodCapabilities: ProviderCapabilities = {
  canStop: true,
  stopKeepsBilling: 'disk',
  gpuMayNotReturnOnStart: true,
  canRestart: true,
  // Spot pods need GraphQL podRentInterruptable (no v2 endpoint yet); offers still show the spot price.
  hasSpot: false,
  sshKeys: 'account',
  hostKeyFingerprints: false,
  terminateErasesDisk: true,
};

/** RunPod's official PyTorch image: its start script runs sshd with the account keys (PUBLIC_KEY). */
export const RUNPOD_DEFAULT_IMAGE = 'runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404';

export interface RunPodOptions {
  /** The endpoint setting (a proxy or a test server): REST v2 is under /v2, GraphQL at /graphql. */
  readonly endpoint?: string;
}

/** RunPod behind the provider contract: REST v2, plus GraphQL only for spot prices. */
export class RunPodProvider implements CloudProvider, Stoppable, Restartable, SshKeyManager {
  readonly id = 'runpod' as const;
  readonly displayName = 'RunPod';
  readonly capabilities = runpodCapabilities;
  private readonly api: RunPodApi;
  private readonly logger: Logger;
  private readonly clock: Clock;

  constructor(deps: ProviderDeps, options: RunPodOptions = {}) {
    this.api = new RunPodApi(deps, options.endpoint ?? RUNPOD_DEFAULT_ENDPOINT);
    this.logger = deps.logger.child('runpod');
    this.clock = deps.clock;
  }

  async listInstances(options: CallOptions = {}): Promise<Instance[]> {
    const pods = await this.api.pods(options.signal);
    const at = { now: this.clock.now() };
    return pods.map((p) => toRunPodInstance(p, at));
  }

  async getInstance(instanceId: string, options: CallOptions = {}): Promise<Instance> {
    return toRunPodInstance(await this.api.pod(instanceId, options.signal), { now: this.clock.now() });
  }

  async listOffers(options: CallOptions = {}): Promise<Offer[]> {
    const [secure, community, spot] = await Promise.all([
      this.api.catalog('SECURE', options.signal),
      this.api.catalog('COMMUNITY', options.signal),
      this.spotPrices(options.signal),
    ]);
    return [...toRunPodOffers('SECURE', secure, spot), ...toRunPodOffers('COMMUNITY', community, spot)];
  }

  async provision(request: ProvisionRequest, options: CallOptions = {}): Promise<ProvisionResult> {
    const offer = parseRunPodOfferId(request.offerId);
    if (!offer) throw new RemoteGpuError('config', t('This offer does not come from RunPod.'), request.offerId);
    if (offer.dataCenterId === undefined) throw new RemoteGpuError('capacity', t('RunPod has no stock of {0} right now.', offer.gpuId));
    // startSsh does nothing without account keys (providers.md §2.2): the pod would boot unreachable.
    if ((await this.api.sshKeys(options.signal)).length === 0) {
      throw new RemoteGpuError('config', t('RunPod has no SSH key on the account, so the pod could not be reached. Upload a key first.'));
    }
    const pod = await this.api.create(
      {
        name: request.name.slice(0, 64),
        image: request.image ?? RUNPOD_DEFAULT_IMAGE,
        gpu: { id: offer.gpuId, count: request.gpuCount ?? 1 },
        cloud: offer.cloud,
        dataCenterIds: [offer.dataCenterId],
        disk: 20,
        // The volume is what survives a stop, so the user's disk size goes there.
        mounts: { persistent: { size: Math.max(10, request.diskGiB ?? 50), path: '/workspace' } },
        ports: ['22/tcp'],
        startSsh: true,
      },
      options.signal,
    );
    return { instanceId: pod.id };
  }

  async terminate(instanceId: string, options: CallOptions = {}): Promise<void> {
    await this.idempotentAction(instanceId, 'terminate', ['terminated'], options);
  }

  async stop(instanceId: string, options: CallOptions = {}): Promise<void> {
    await this.idempotentAction(instanceId, 'stop', ['stopping', 'stopped'], options);
  }

  async start(instanceId: string, options: CallOptions = {}): Promise<void> {
    await this.idempotentAction(instanceId, 'start', ['provisioning', 'booting', 'running'], options);
  }

  async restart(instanceId: string, options: CallOptions = {}): Promise<void> {
    await this.api.action(instanceId, 'restart', options.signal);
  }

  async listSshKeys(options: CallOptions = {}): Promise<SshKey[]> {
    return (await this.api.sshKeys(options.signal)).map(toSshKey);
  }

  /** PUT replaces the whole set: read, add only if missing, write back (a concurrent edit elsewhere could be lost). */
  async uploadSshKey(key: { readonly name: string; readonly publicKey: string }, options: CallOptions = {}): Promise<SshKey> {
    const keys = await this.api.sshKeys(options.signal);
    const existing = keys.find((k) => sameKeyMaterial(k, key.publicKey));
    if (existing !== undefined) return toSshKey(existing);
    const line = keyComment(key.publicKey) ? key.publicKey.trim() : `${keyMaterial(key.publicKey)} ${key.name}`;
    await this.api.putSshKeys([...keys, line], options.signal);
    return toSshKey(line);
  }

  /**
   * 409 means "not valid for the current state", 404 "no such pod": both are success when the pod is already where
   * the action would take it (stop a stopped pod, terminate a gone one).
   */
  private async idempotentAction(id: string, action: PodAction, done: readonly InstanceState[], options: CallOptions): Promise<void> {
    try {
      await this.api.action(id, action, options.signal);
    } catch (e) {
      if (!isRemoteGpuError(e)) throw e;
      if (e.reason === 'notFound' && action === 'terminate') return;
      if (e.reason !== 'remoteFailed' && e.reason !== 'notFound') throw e;
      const state = await this.getInstance(id, options).then(
        (i) => i.state,
        (err: unknown) => (isRemoteGpuError(err) && err.reason === 'notFound' && action === 'terminate' ? 'terminated' : Promise.reject(err)),
      );
      if (!done.includes(state)) throw e;
    }
  }

  /** Spot prices are a nicety: if GraphQL fails, offers come without them rather than not at all. */
  private async spotPrices(signal?: AbortSignal): Promise<RunPodSpotPrices> {
    try {
      return await this.api.spotPrices(signal);
    } catch (e) {
      if (isRemoteGpuError(e) && e.reason === 'cancelled') throw e;
      this.logger.warn(`spot prices unavailable: ${isRemoteGpuError(e) ? `${e.reason} ${e.detail ?? ''}` : String(e)}`);
      return [];
    }
  }
}

function toSshKey(line: string): SshKey {
  return { id: keyMaterial(line), name: keyComment(line), publicKey: line };
}
