import type { Instance, InstanceState, SshEndpoint } from '../../core/providers/instance';
import { centsToMicros } from '../../core/providers/money';
import type { Offer } from '../../core/providers/offer';
import type { LambdaInstance, LambdaInstanceType, LambdaInstanceTypes } from './schemas';

/** Lambda statuses (providers.md §1.3). `preempted` is undocumented: it is treated as ended. */
const STATES: Readonly<Record<string, InstanceState>> = {
  booting: 'booting',
  active: 'running',
  unhealthy: 'error',
  terminating: 'terminating',
  terminated: 'terminated',
  preempted: 'terminated',
};

export function lambdaState(status: string): InstanceState {
  return STATES[status] ?? 'unknown';
}

/** Where SSH lands: `ip`:22 as user ubuntu (providers.md §1.4); port and user can be overridden for a gateway or a fake. */
export interface LambdaSshDefaults {
  readonly port: number;
  readonly user: string;
}

export const LAMBDA_SSH_DEFAULTS: LambdaSshDefaults = { port: 22, user: 'ubuntu' };

/** "H100 (80 GB SXM5)" → model "H100", 80 GiB. Lambda says GB; the cards are sold in binary sizes. */
export function parseGpuDescription(description: string): { model: string; vramGiB?: number } {
  const model = description.split('(')[0]?.trim() || description;
  const vram = /(\d+)\s*GB/i.exec(description)?.[1];
  return vram === undefined ? { model } : { model, vramGiB: Number(vram) };
}

/** Offer ids are "<type>@<region>"; a type sold out everywhere is just "<type>". Type names never hold "@". */
export function lambdaOfferId(typeName: string, region?: string): string {
  return region === undefined ? typeName : `${typeName}@${region}`;
}

export function parseLambdaOfferId(offerId: string): { typeName: string; region?: string } {
  const at = offerId.indexOf('@');
  return at < 0 ? { typeName: offerId } : { typeName: offerId.slice(0, at), region: offerId.slice(at + 1) };
}

/** One offer per region with capacity; a sold-out type stays listed once, unavailable, so the user sees it exists. */
export function toLambdaOffers(types: LambdaInstanceTypes): Offer[] {
  const offers: Offer[] = [];
  for (const [typeName, entry] of Object.entries(types)) {
    const regions = entry.regions_with_capacity_available;
    if (regions.length === 0) offers.push(offerOf(typeName, entry.instance_type, undefined));
    for (const region of regions) offers.push(offerOf(typeName, entry.instance_type, region));
  }
  return offers;
}

function offerOf(typeName: string, type: LambdaInstanceType, region: { name: string; description: string } | undefined): Offer {
  const gpu = parseGpuDescription(type.gpu_description);
  return {
    provider: 'lambda',
    id: lambdaOfferId(typeName, region?.name),
    instanceType: typeName,
    gpuModel: gpu.model,
    description: type.description,
    gpuCount: type.specs.gpus,
    ...(gpu.vramGiB !== undefined ? { vramGiB: gpu.vramGiB } : {}),
    ...(region ? { region: region.name, regionName: region.description } : {}),
    available: region !== undefined,
    priceMicrosPerHour: centsToMicros(type.price_cents_per_hour),
    canStop: false,
    vcpus: type.specs.vcpus,
    memoryGiB: type.specs.memory_gib,
    diskGiB: type.specs.storage_gib,
  };
}

export function toLambdaInstance(raw: LambdaInstance, ssh: LambdaSshDefaults = LAMBDA_SSH_DEFAULTS): Instance {
  const state = lambdaState(raw.status);
  const endpoint: SshEndpoint | undefined = raw.ip && state !== 'terminated' ? { host: raw.ip, port: ssh.port, user: ssh.user } : undefined;
  return {
    provider: 'lambda',
    id: raw.id,
    name: raw.name ?? raw.id,
    state,
    providerStatus: raw.status,
    gpuModel: parseGpuDescription(raw.instance_type.gpu_description).model,
    gpuCount: raw.instance_type.specs.gpus,
    priceMicrosPerHour: centsToMicros(raw.instance_type.price_cents_per_hour),
    region: raw.region.name,
    ...(endpoint ? { ssh: endpoint } : {}),
  };
}
