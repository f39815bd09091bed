import { isRemoteGpuError, RemoteGpuError } from '../../core/errors';
import type { ProviderCapabilities } from '../../core/providers/capabilities';
import type { Instance } from '../../core/providers/instance';
import type { Offer } from '../../core/providers/offer';
import type {
  CallOptions,
  CloudProvider,
  ProvisionRequest,
  ProvisionResult,
  Restartable,
  SshKey,
  SshKeyManager,
} from '../../core/providers/provider';
import type { ProviderDeps } from '../../core/providers/providerDeps';
import { sameKeyMaterial } from '../../core/providers/sshKeys';
import { LAMBDA_DEFAULT_BASE_URL, LambdaApi } from './api';
import { LAMBDA_SSH_DEFAULTS, parseLambdaOfferId, toLambdaInstance, toLambdaOffers, type LambdaSshDefaults } from './mapping';
import type { LambdaSshKey } from './schemas';
import { t } from '../../shared/l10n';

/** Lambda has no stop (providers.md §1.5): billing ends only with terminate, which erases the local disk. */
export const lambdaCapabilities: ProviderCapabilities = {
  canStop: false,
  stopKeepsBilling: 'none',
  gpuMayNotReturnOnStart: false,
  canRestart: true,
  hasSpot: false,
  sshKeys: 'perLaunch',
  hostKeyFingerprints: false,
  terminateErasesDisk: true,
};

export interface LambdaOptions {
  /** The endpoint setting: a proxy or a test server; https://cloud.lambda.ai/api/v1 when absent. */
  readonly baseUrl?: string;
  /** Lambda reports only an IP; SSH is port 22 as ubuntu unless a gateway (or a fake) says otherwise. */
  readonly ssh?: Partial<LambdaSshDefaults>;
}

/** Lambda Cloud behind the provider contract. */
export class LambdaProvider implements CloudProvider, Restartable, SshKeyManager {
  readonly id = 'lambda' as const;
  readonly displayName = 'Lambda Cloud';
  readonly capabilities = lambdaCapabilities;
  private readonly api: LambdaApi;
  private readonly ssh: LambdaSshDefaults;

  constructor(deps: ProviderDeps, options: LambdaOptions = {}) {
    this.api = new LambdaApi(deps, options.baseUrl ?? LAMBDA_DEFAULT_BASE_URL);
    this.ssh = { ...LAMBDA_SSH_DEFAULTS, ...options.ssh };
  }

  async listInstances(options: CallOptions = {}): Promise<Instance[]> {
    return (await this.api.instances(options.signal)).map((i) => toLambdaInstance(i, this.ssh));
  }

  async getInstance(instanceId: string, options: CallOptions = {}): Promise<Instance> {
    return toLambdaInstance(await this.api.instance(instanceId, options.signal), this.ssh);
  }

  async listOffers(options: CallOptions = {}): Promise<Offer[]> {
    return toLambdaOffers(await this.api.instanceTypes(options.signal));
  }

  async provision(request: ProvisionRequest, options: CallOptions = {}): Promise<ProvisionResult> {
    const { typeName, region } = parseLambdaOfferId(request.offerId);
    if (region === undefined) throw new RemoteGpuError('capacity', t('Lambda Cloud has no region with capacity for {0}.', typeName));
    if (!request.sshKeyName) throw new RemoteGpuError('config', t('Lambda Cloud needs an SSH key at launch: choose or upload one.'));
    const ids = await this.api.launch(
      {
        region_name: region,
        instance_type_name: typeName,
        ssh_key_names: [request.sshKeyName],
        name: request.name.slice(0, 64),
        ...(request.image ? { image: { family: request.image } } : {}),
      },
      options.signal,
    );
    // The schema guarantees at least one id.
    return { instanceId: ids[0] ?? '' };
  }

  /**
   * Idempotent. A gone instance answers 404; an instance already terminating may be refused with some other
   * 4xx, so a refusal is checked against the instance's state before it is reported.
   */
  async terminate(instanceId: string, options: CallOptions = {}): Promise<void> {
    try {
      await this.api.terminate([instanceId], options.signal);
    } catch (e) {
      if (isRemoteGpuError(e) && e.reason === 'notFound') return;
      if (!isRemoteGpuError(e) || !['remoteFailed', 'config'].includes(e.reason)) throw e;
      if (await this.isGoneOrGoing(instanceId, options)) return;
      throw e;
    }
  }

  async restart(instanceId: string, options: CallOptions = {}): Promise<void> {
    await this.api.restart([instanceId], options.signal);
  }

  async listSshKeys(options: CallOptions = {}): Promise<SshKey[]> {
    return (await this.api.sshKeys(options.signal)).map(toSshKey);
  }

  async uploadSshKey(key: { readonly name: string; readonly publicKey: string }, options: CallOptions = {}): Promise<SshKey> {
    const existing = (await this.api.sshKeys(options.signal)).find((k) => sameKeyMaterial(k.public_key, key.publicKey));
    if (existing) return toSshKey(existing);
    return toSshKey(await this.api.addSshKey(key.name, key.publicKey.trim(), options.signal));
  }

  private async isGoneOrGoing(instanceId: string, options: CallOptions): Promise<boolean> {
    try {
      const state = (await this.getInstance(instanceId, options)).state;
      return state === 'terminating' || state === 'terminated';
    } catch (e) {
      if (isRemoteGpuError(e) && e.reason === 'notFound') return true;
      throw e;
    }
  }
}

function toSshKey(k: LambdaSshKey): SshKey {
  return { id: k.id, name: k.name, publicKey: k.public_key };
}
