import type { Instance, InstanceState, SshEndpoint } from '../../core/providers/instance';
import { dollarsToMicros } from '../../core/providers/money';
import type { Offer } from '../../core/providers/offer';
import type { RunPodCatalogGpu, RunPodCloud, RunPodPod, RunPodSpotPrices } from './schemas';
import { runpodStateSince } from './stateSince';

/** v2 `status` (providers.md §2.5), then the v1/GraphQL `desiredStatus` values, including the unverified ones. */
const STATES: Readonly<Record<string, InstanceState>> = {
  PROVISIONING: 'provisioning',
  CREATED: 'provisioning',
  STARTING: 'booting',
  RESTARTING: 'booting',
  RUNNING: 'running',
  EXITED: 'stopped',
  PAUSED: 'stopped',
  ERROR: 'error',
  DEAD: 'error',
  TERMINATED: 'terminated',
};

/**
 * v2 `status` is what the pod is. v1 `desiredStatus` is only the target: a v1 pod "RUNNING" without a runtime or
 * port mappings is still booting (dstack waits for `runtime`).
 */
export function runpodState(pod: RunPodPod): InstanceState {
  if (pod.status !== undefined) return STATES[pod.status] ?? 'unknown';
  const target = pod.desiredStatus === undefined ? 'unknown' : (STATES[pod.desiredStatus] ?? 'unknown');
  if (target === 'running' && !pod.runtime && Object.keys(pod.portMappings ?? {}).length === 0) return 'booting';
  return target;
}

/**
 * Direct SSH only: v2 `ssh.direct`, else the runtime port whose private side is 22, else v1 publicIp +
 * portMappings["22"]. The proxy (ssh.runpod.io) is left out: it allows no port forwarding, scp or sftp.
 */
export function runpodSsh(pod: RunPodPod): SshEndpoint | undefined {
  const direct = pod.ssh?.direct;
  if (direct) return { host: direct.host, port: direct.port, user: direct.username };
  const port22 = pod.runtime?.ports?.find((p) => p.private === 22 && p.public && p.ip);
  if (port22?.ip && port22.public) return { host: port22.ip, port: port22.public, user: 'root' };
  const mapped = pod.portMappings?.['22'];
  if (pod.publicIp && mapped) return { host: pod.publicIp, port: mapped, user: 'root' };
  return undefined;
}

/** "NVIDIA GeForce RTX 4090" → "RTX 4090", "NVIDIA H100 80GB HBM3" → "H100 80GB HBM3". */
export function shortGpuName(id: string): string {
  return id.replace(/^(NVIDIA|AMD)\s+/, '').replace(/^GeForce\s+/, '');
}

/** `at.now` (our clock) rules out a state change "in the future"; an object, so `.map(toRunPodInstance)` cannot pass an index. */
export function toRunPodInstance(pod: RunPodPod, at: { readonly now: number }): Instance {
  const state = runpodState(pod);
  const ssh = state === 'running' ? runpodSsh(pod) : undefined;
  const created = pod.createdAt ? Date.parse(pod.createdAt) : Number.NaN;
  const since = runpodStateSince(pod, state, at.now, Number.isNaN(created) ? undefined : created);
  const gpuName = pod.gpu?.displayName ?? (pod.gpu?.id ? shortGpuName(pod.gpu.id) : '');
  return {
    provider: 'runpod',
    id: pod.id,
    name: pod.name ?? pod.id,
    state,
    providerStatus: pod.status ?? pod.desiredStatus ?? 'unknown',
    gpuModel: gpuName,
    // A pod restarted on a full host can come back with no GPU at all ("zero GPU pods").
    gpuCount: pod.gpu?.count ?? 0,
    priceMicrosPerHour: dollarsToMicros(pod.cost ?? pod.costPerHr ?? 0),
    ...(Number.isNaN(created) ? {} : { createdAt: created }),
    ...(since !== undefined ? { stateSince: since } : {}),
    ...(pod.dataCenterId ? { region: pod.dataCenterId } : {}),
    ...(ssh ? { ssh } : {}),
  };
}

/** Offer ids are "<cloud>/<gpu id>/<data centre>", each part URI-encoded (GPU ids hold spaces). */
export function runpodOfferId(cloud: RunPodCloud, gpuId: string, dataCenterId?: string): string {
  return [cloud, gpuId, dataCenterId ?? ''].map(encodeURIComponent).join('/');
}

export function parseRunPodOfferId(offerId: string): { cloud: RunPodCloud; gpuId: string; dataCenterId?: string } | undefined {
  const parts = offerId.split('/').map(decodeURIComponent);
  const [cloud, gpuId, dc] = parts;
  if (parts.length !== 3 || (cloud !== 'SECURE' && cloud !== 'COMMUNITY') || !gpuId) return undefined;
  return dc ? { cloud, gpuId, dataCenterId: dc } : { cloud, gpuId };
}

/**
 * One offer per GPU type and data centre with stock in that cloud; a type with no stock anywhere is listed once,
 * unavailable. Prices are per GPU (providers.md §2.2), for one GPU here; `maxGpuCount` says how far it scales.
 */
export function toRunPodOffers(cloud: RunPodCloud, gpus: readonly RunPodCatalogGpu[], spot: RunPodSpotPrices = []): Offer[] {
  const key = cloud === 'SECURE' ? 'secure' : 'community';
  const offers: Offer[] = [];
  for (const gpu of gpus) {
    const price = gpu.price[key];
    // A zero or missing price means the type is not sold in this cloud (H100 community: 0.0 in the catalog).
    if (!gpu[key] || !price) continue;
    const spotPrice = spot.find((s) => s.id === gpu.id)?.[key === 'secure' ? 'secureSpotPrice' : 'communitySpotPrice'];
    const base = baseOffer(cloud, gpu, price, spotPrice ?? undefined);
    const stocked = (gpu.dataCenters ?? []).filter((dc) => dc.availability && dc.availability !== 'NONE');
    if (stocked.length === 0) offers.push({ ...base, id: runpodOfferId(cloud, gpu.id), available: false });
    for (const dc of stocked) offers.push({ ...base, id: runpodOfferId(cloud, gpu.id, dc.id), region: dc.id, ...(dc.name ? { regionName: dc.name } : {}) });
  }
  return offers;
}

function baseOffer(cloud: RunPodCloud, gpu: RunPodCatalogGpu, price: number, spotPrice: number | undefined): Offer {
  const maxCount = gpu.maxCount?.[cloud === 'SECURE' ? 'secure' : 'community'];
  return {
    provider: 'runpod',
    id: '',
    instanceType: gpu.id,
    gpuModel: gpu.name,
    description: `${gpu.name} (${gpu.memory} GB, ${cloud === 'SECURE' ? 'Secure' : 'Community'} Cloud)`,
    gpuCount: 1,
    ...(maxCount ? { maxGpuCount: maxCount } : {}),
    vramGiB: gpu.memory,
    available: true,
    priceMicrosPerHour: dollarsToMicros(price),
    ...(spotPrice ? { spotPriceMicrosPerHour: dollarsToMicros(spotPrice) } : {}),
    canStop: true,
  };
}
