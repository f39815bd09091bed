import type { RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import { isRemoteGpuError, RemoteGpuError } from '../../core/errors';
import { ProviderHttpError } from '../../core/http/httpError';
import type { ProviderCapabilities } from '../../core/providers/capabilities';
import type { Instance, InstanceState } from '../../core/providers/instance';
import type { Offer } from '../../core/providers/offer';
import type { CallOptions, CloudProvider, ProvisionRequest, ProvisionResult, SshKey, SshKeyManager, Stoppable } from '../../core/providers/provider';
import type { ProviderDeps } from '../../core/providers/providerDeps';
import { keyComment, keyMaterial, sameKeyMaterial } from '../../core/providers/sshKeys';
import { Ec2Api, instanceTypeNames, type AwsCredentials } from './api';
import { EC2_GPU_TYPE_PATTERNS, Ec2Catalog } from './catalog';
import { ec2StateName, parseEc2OfferId, toEc2Instance, toEc2Offers } from './mapping';
import type { Ec2Instance } from './schemas';
import { t } from '../../shared/l10n';

/**
 * On-demand EBS-backed instances stop (EBS and a public IPv4 keep billing); one-time spot cannot, which each spot
 * offer states with canStop: false (providers.md §4.5). One key pair is named per launch.
 */
export const ec2Capabilities: ProviderCapabilities = {
  canStop: true,
  stopKeepsBilling: 'disk',
  gpuMayNotReturnOnStart: false,
  canRestart: false,
  hasSpot: true,
  sshKeys: 'perLaunch',
  hostKeyFingerprints: false,
  terminateErasesDisk: true,
};

/** Instances this extension launched carry this tag; the list shows only those, not the account's whole fleet. */
export const EC2_MANAGED_TAG = 'remote-gpu';

/** A just-launched id can be unknown to DescribeInstances for a few seconds (eventual consistency, §4.1). */
const LAUNCH_GRACE_MS = 60_000;

export interface Ec2Options {
  readonly region: string;
  /** Endpoint setting (a proxy or the fake); https://ec2.<region>.amazonaws.com when absent. */
  readonly endpoint?: string;
  readonly pricingEndpoint?: string;
  /** Defaults to deps.apiKey() read as "ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]". */
  readonly credentials?: () => Promise<AwsCredentials>;
  /** The AMI when the request names none; AMI ids are per region, so there is no built-in default. */
  readonly imageId?: string;
  /** The login user of the AMI: "ubuntu" (Ubuntu, Deep Learning AMI Ubuntu) unless set, "ec2-user" for Amazon Linux. */
  readonly sshUser?: string;
  /** 22 unless a test rig listens elsewhere. */
  readonly sshPort?: number;
  readonly securityGroupIds?: readonly string[];
  readonly subnetId?: string;
  /** Where diskGiB goes: the AMI's root device, "/dev/sda1" on Ubuntu AMIs. */
  readonly rootDeviceName?: string;
  readonly instanceTypePatterns?: readonly string[];
}

/** AWS EC2 behind the provider contract, through the AWS SDK with the HTTP port as its transport. */
export class Ec2Provider implements CloudProvider, Stoppable, SshKeyManager {
  readonly id = 'ec2' as const;
  readonly displayName = 'AWS EC2';
  readonly capabilities = ec2Capabilities;
  private readonly api: Ec2Api;
  private readonly catalog: Ec2Catalog;
  private readonly launched = new Map<string, number>();

  constructor(
    private readonly deps: ProviderDeps,
    private readonly options: Ec2Options,
  ) {
    const credentials = options.credentials ?? (async () => parseAwsKey(await deps.apiKey()));
    this.api = new Ec2Api(deps, { region: options.region, credentials, ...(options.endpoint ? { endpoint: options.endpoint } : {}), ...(options.pricingEndpoint ? { pricingEndpoint: options.pricingEndpoint } : {}) });
    this.catalog = new Ec2Catalog(this.api, options.region, deps.logger.child('ec2'));
  }

  async listInstances(options: CallOptions = {}): Promise<Instance[]> {
    const states = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];
    const filters = [{ Name: 'tag-key', Values: [EC2_MANAGED_TAG] }, { Name: 'instance-state-name', Values: states }];
    return this.mapInstances(await this.api.instances(filters, options.signal), options.signal);
  }

  async getInstance(instanceId: string, options: CallOptions = {}): Promise<Instance> {
    let found: Ec2Instance | undefined;
    try {
      found = await this.api.instance(instanceId, options.signal);
    } catch (e) {
      if (!(isRemoteGpuError(e) && e.reason === 'notFound')) throw e;
    }
    if (found) return (await this.mapInstances([found], options.signal))[0] as Instance;
    const at = this.launched.get(instanceId);
    if (at !== undefined && this.deps.clock.now() - at < LAUNCH_GRACE_MS) return this.justLaunched(instanceId);
    throw new RemoteGpuError('notFound', t('AWS EC2 does not know instance {0} (it may have been terminated).', instanceId));
  }

  async listOffers(options: CallOptions = {}): Promise<Offer[]> {
    await this.catalog.refresh(this.options.instanceTypePatterns ?? EC2_GPU_TYPE_PATTERNS, options.signal);
    const { types, onDemand, spot, regionName } = this.catalog;
    return toEc2Offers(this.options.region, regionName, types, onDemand, spot);
  }

  async provision(request: ProvisionRequest, options: CallOptions = {}): Promise<ProvisionResult> {
    const input = this.runInput(request);
    const instance = await this.api.run(input, options.signal);
    this.launched.set(instance.InstanceId, this.deps.clock.now());
    return { instanceId: instance.InstanceId };
  }

  /** TerminateInstances on a terminated instance succeeds; one that has left Describe altogether is gone too. */
  async terminate(instanceId: string, options: CallOptions = {}): Promise<void> {
    try {
      await this.api.terminate(instanceId, options.signal);
    } catch (e) {
      if (isRemoteGpuError(e) && e.reason === 'notFound') return;
      throw e;
    }
  }

  /** AWS answers a stop of a stopped instance with success; IncorrectInstanceState is checked against the state. */
  async stop(instanceId: string, options: CallOptions = {}): Promise<void> {
    await this.settle(instanceId, () => this.api.stop(instanceId, options.signal), ['stopping', 'stopped'], options);
  }

  async start(instanceId: string, options: CallOptions = {}): Promise<void> {
    await this.settle(instanceId, () => this.api.start(instanceId, options.signal), ['booting', 'running'], options);
  }

  async listSshKeys(options: CallOptions = {}): Promise<SshKey[]> {
    return ((await this.api.keyPairs(options.signal)) ?? []).map((k) => ({ id: k.KeyPairId ?? k.KeyName, name: k.KeyName, publicKey: k.PublicKey?.trim() ?? '' }));
  }

  /** Reuses a key pair with the same material; a different key under the same name is the user's to resolve. */
  async uploadSshKey(key: { readonly name: string; readonly publicKey: string }, options: CallOptions = {}): Promise<SshKey> {
    const existing = (await this.listSshKeys(options)).find((k) => k.publicKey !== '' && sameKeyMaterial(k.publicKey, key.publicKey));
    if (existing) return existing;
    const line = keyComment(key.publicKey) ? key.publicKey.trim() : `${keyMaterial(key.publicKey)} ${key.name}`;
    try {
      const added = await this.api.importKeyPair(key.name, line, options.signal);
      return { id: added.KeyPairId ?? added.KeyName, name: added.KeyName, publicKey: line };
    } catch (e) {
      if (awsCode(e) === 'InvalidKeyPair.Duplicate') {
        throw new RemoteGpuError('config', t('AWS EC2 already has a different key pair named "{0}". Pick another name.', key.name), isRemoteGpuError(e) ? e.detail : undefined);
      }
      throw e;
    }
  }

  private runInput(request: ProvisionRequest): RunInstancesCommandInput {
    const offer = parseEc2OfferId(request.offerId);
    if (!offer) throw new RemoteGpuError('config', t('This offer does not come from AWS EC2.'), request.offerId);
    if (offer.region !== this.options.region) throw new RemoteGpuError('config', t('This offer is for {0}, but the EC2 provider is set to {1}.', offer.region, this.options.region));
    const imageId = request.image ?? this.options.imageId;
    if (!imageId) throw new RemoteGpuError('config', t('Set an AMI for AWS EC2 (a Deep Learning AMI for the region) before provisioning.'));
    if (!request.sshKeyName) throw new RemoteGpuError('config', t('Pick an SSH key pair for the EC2 instance.'));
    const spot = offer.market === 'spot';
    return {
      ImageId: imageId,
      InstanceType: instanceTypeNames([offer.instanceType])[0],
      MinCount: 1,
      MaxCount: 1,
      KeyName: request.sshKeyName,
      ...(this.options.securityGroupIds ? { SecurityGroupIds: [...this.options.securityGroupIds] } : {}),
      ...(this.options.subnetId ? { SubnetId: this.options.subnetId } : {}),
      ...(request.diskGiB ? { BlockDeviceMappings: [{ DeviceName: this.options.rootDeviceName ?? '/dev/sda1', Ebs: { VolumeSize: request.diskGiB, VolumeType: 'gp3', DeleteOnTermination: true } }] } : {}),
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: request.name.slice(0, 64) }, { Key: EC2_MANAGED_TAG, Value: 'managed' }] }],
      // `shutdown` on the instance (the idle watchdog) stops it; a one-time spot cannot stop, so it terminates.
      InstanceInitiatedShutdownBehavior: spot ? 'terminate' : 'stop',
      ...(spot ? { InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate' } } } : {}),
    };
  }

  private async mapInstances(instances: readonly Ec2Instance[], signal?: AbortSignal): Promise<Instance[]> {
    const types = [...new Set(instances.map((i) => i.InstanceType))];
    const spot = [...new Set(instances.filter((i) => i.InstanceLifecycle === 'spot').map((i) => i.InstanceType))];
    await this.catalog.ensure(types, spot, signal);
    const { sshUser = 'ubuntu', sshPort = 22 } = this.options;
    return instances.map((i) => toEc2Instance(i, { types: this.catalog.types, onDemand: this.catalog.onDemand, spot: this.catalog.spot, sshUser, sshPort, now: this.deps.clock.now() }));
  }

  private justLaunched(id: string): Instance {
    return { provider: 'ec2', id, name: id, state: 'provisioning', providerStatus: 'pending', gpuModel: '', gpuCount: 0, priceMicrosPerHour: 0 };
  }

  private async settle(id: string, action: () => Promise<void>, done: readonly InstanceState[], options: CallOptions): Promise<void> {
    try {
      await action();
    } catch (e) {
      if (awsCode(e) !== 'IncorrectInstanceState') throw e;
      const instance = await this.api.instance(id, options.signal);
      const state = instance ? ec2StateName(instance) : 'unknown';
      if (!done.includes(toState(state))) throw e;
    }
  }
}

/** The AWS error code (the wire <Code>) carried by a mapped error. */
function awsCode(e: unknown): string | undefined {
  return e instanceof ProviderHttpError ? e.info.providerCode : undefined;
}

function toState(name: string): InstanceState {
  return ({ pending: 'booting', running: 'running', stopping: 'stopping', stopped: 'stopped' } as Record<string, InstanceState>)[name] ?? 'unknown';
}

/** One SecretStorage string holds the key pair: "AKID:SECRET" or "AKID:SECRET:SESSION_TOKEN". */
export function parseAwsKey(value: string): AwsCredentials {
  const [accessKeyId, secretAccessKey, ...token] = value.trim().split(':');
  if (!accessKeyId || !secretAccessKey) throw new RemoteGpuError('auth', t('The AWS key must be "ACCESS_KEY_ID:SECRET_ACCESS_KEY".'));
  return { accessKeyId, secretAccessKey, ...(token.length ? { sessionToken: token.join(':') } : {}) };
}
