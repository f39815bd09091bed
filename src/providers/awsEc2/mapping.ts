import { parseJsonText, parseWith } from '../../core/http/validate';
import { plausibleStateSince, type Instance, type InstanceState, type SshEndpoint } from '../../core/providers/instance';
import { dollarsToMicros, type Micros } from '../../core/providers/money';
import type { Offer } from '../../core/providers/offer';
import { EC2_NAME } from './errors';
import { priceListItem, type Ec2Instance, type Ec2InstanceType } from './schemas';

/** `State.Name` (providers.md §4.3). Pending covers allocation and boot: capacity errors already came at launch. */
const STATES: Readonly<Record<string, InstanceState>> = {
  pending: 'booting',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  'shutting-down': 'terminating',
  terminated: 'terminated',
};

/** The state code's low byte, for a body that has a code but no name (the high byte is internal). */
const CODES: Readonly<Record<number, string>> = { 0: 'pending', 16: 'running', 32: 'shutting-down', 48: 'terminated', 64: 'stopping', 80: 'stopped' };

export function ec2StateName(i: Pick<Ec2Instance, 'State'>): string {
  return i.State.Name ?? (i.State.Code !== undefined ? CODES[i.State.Code & 0xff] : undefined) ?? 'unknown';
}

/** What the catalog knows about an instance type: GPUs from DescribeInstanceTypes, prices from Pricing and spot history. */
export interface Ec2TypeInfo {
  readonly gpuModel: string;
  readonly gpuCount: number;
  readonly vramGiB?: number;
  readonly vcpus?: number;
  readonly memoryGiB?: number;
  readonly ebsRoot: boolean;
  readonly spotSupported: boolean;
}

export function toTypeInfo(t: Ec2InstanceType): Ec2TypeInfo {
  const gpus = t.GpuInfo?.Gpus ?? [];
  const first = gpus[0];
  const vramMiB = first?.MemoryInfo?.SizeInMiB;
  const memMiB = t.MemoryInfo?.SizeInMiB;
  return {
    gpuModel: first?.Name ?? '',
    gpuCount: gpus.reduce((n, g) => n + g.Count, 0),
    ...(vramMiB ? { vramGiB: Math.round(vramMiB / 1024) } : {}),
    ...(t.VCpuInfo?.DefaultVCpus ? { vcpus: t.VCpuInfo.DefaultVCpus } : {}),
    ...(memMiB ? { memoryGiB: Math.round(memMiB / 1024) } : {}),
    ebsRoot: (t.SupportedRootDeviceTypes ?? ['ebs']).includes('ebs'),
    spotSupported: (t.SupportedUsageClasses ?? []).includes('spot'),
  };
}

export interface Ec2InstanceContext {
  readonly types: ReadonlyMap<string, Ec2TypeInfo>;
  readonly onDemand: ReadonlyMap<string, Micros>;
  readonly spot: ReadonlyMap<string, Micros>;
  readonly sshUser: string;
  readonly sshPort: number;
  /** Our clock: a state change "in the future" is not believed. */
  readonly now: number;
}

/** The public IP changes on every start (providers.md §4.4); an instance without one has no endpoint. */
export function ec2Ssh(i: Ec2Instance, user: string, port: number): SshEndpoint | undefined {
  const host = i.PublicIpAddress || i.PublicDnsName;
  return host ? { host, port, user } : undefined;
}

/** "User initiated (2026-08-20 22:01:44 GMT)": the time in parentheses, always GMT; undefined for any other text. */
export function parseTransitionTime(reason: unknown): number | undefined {
  if (typeof reason !== 'string' || reason.length > 300) return undefined;
  const m = /\((\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT\)/.exec(reason);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Date.UTC rolls 31 Feb into March; such a time is not one AWS wrote.
  const exact = back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
  return exact ? ms : undefined;
}

/**
 * When the instance entered its state. LaunchTime is the last start (AWS updates it on every start), so it dates
 * pending and running; a stop or termination is dated by StateTransitionReason. Anything else: not known.
 */
export function ec2StateSince(i: Ec2Instance, state: InstanceState, now: number): number | undefined {
  const launched = i.LaunchTime?.getTime();
  const raw = state === 'running' || state === 'booting' ? launched : parseTransitionTime(i.StateTransitionReason);
  return plausibleStateSince(raw, now, state === 'running' || state === 'booting' ? undefined : launched);
}

export function toEc2Instance(i: Ec2Instance, ctx: Ec2InstanceContext): Instance {
  const status = ec2StateName(i);
  const state = STATES[status] ?? 'unknown';
  const type = ctx.types.get(i.InstanceType);
  const ssh = state === 'running' ? ec2Ssh(i, ctx.sshUser, ctx.sshPort) : undefined;
  // Only a running (or booting) instance bills compute; stopped ones bill EBS, which the API does not price here.
  const billed = state === 'running' || state === 'booting';
  const rate = (i.InstanceLifecycle === 'spot' ? ctx.spot : ctx.onDemand).get(i.InstanceType) ?? 0;
  const name = i.Tags?.find((t) => t.Key === 'Name')?.Value;
  const az = i.Placement?.AvailabilityZone;
  const since = ec2StateSince(i, state, ctx.now);
  return {
    provider: 'ec2',
    id: i.InstanceId,
    name: name || i.InstanceId,
    state,
    providerStatus: status,
    gpuModel: type?.gpuModel ?? '',
    gpuCount: type?.gpuCount ?? 0,
    priceMicrosPerHour: billed ? rate : 0,
    ...(i.LaunchTime ? { createdAt: i.LaunchTime.getTime() } : {}),
    ...(since !== undefined ? { stateSince: since } : {}),
    ...(az ? { region: az } : {}),
    ...(ssh ? { ssh } : {}),
    // Launched spot instances are one-time requests (see toEc2Offers): AWS cannot stop them, only terminate.
    ...(i.InstanceLifecycle === 'spot' ? { canStop: false } : {}),
  };
}

/** Reads one PriceList element (a JSON string): the hourly USD on-demand rate, and the region's display name. */
export function parsePriceListItem(text: string): { instanceType: string; micros: Micros; location?: string } | undefined {
  const item = parseWith(priceListItem, parseJsonText(text, EC2_NAME, 'price list item'), EC2_NAME, 'price list item');
  for (const term of Object.values(item.terms.OnDemand ?? {})) {
    for (const dim of Object.values(term.priceDimensions)) {
      if (dim.unit === undefined || dim.unit === 'Hrs') {
        const location = item.product.attributes.location;
        return { instanceType: item.product.attributes.instanceType, micros: dollarsToMicros(dim.pricePerUnit.USD), ...(location ? { location } : {}) };
      }
    }
  }
  return undefined;
}

export type Ec2Market = 'on-demand' | 'spot';

/** Offer ids are "<region>/<instance type>/<market>". */
export function ec2OfferId(region: string, instanceType: string, market: Ec2Market): string {
  return [region, instanceType, market].map(encodeURIComponent).join('/');
}

export function parseEc2OfferId(id: string): { region: string; instanceType: string; market: Ec2Market } | undefined {
  const [region, instanceType, market, ...rest] = id.split('/').map(decodeURIComponent);
  if (rest.length > 0 || !region || !instanceType || (market !== 'on-demand' && market !== 'spot')) return undefined;
  return { region, instanceType, market };
}

/**
 * Two offers per GPU type offered in the region: on-demand (stoppable when EBS-backed) and one-time spot, which AWS
 * refuses to stop (UnsupportedOperation), so it says canStop: false as data. A type without a known price is listed
 * unavailable rather than at $0.
 */
export function toEc2Offers(region: string, regionName: string | undefined, types: ReadonlyMap<string, Ec2TypeInfo>, onDemand: ReadonlyMap<string, Micros>, spot: ReadonlyMap<string, Micros>): Offer[] {
  const offers: Offer[] = [];
  for (const [instanceType, t] of [...types].sort(([a], [b]) => a.localeCompare(b))) {
    if (t.gpuCount === 0) continue;
    const od = onDemand.get(instanceType);
    const sp = t.spotSupported ? spot.get(instanceType) : undefined;
    const base = {
      provider: 'ec2' as const,
      instanceType,
      gpuModel: t.gpuModel,
      description: `${instanceType}: ${t.gpuCount}x ${t.gpuModel}${t.vramGiB ? ` (${t.vramGiB} GB)` : ''}`,
      gpuCount: t.gpuCount,
      region,
      ...(regionName ? { regionName } : {}),
      ...(t.vramGiB ? { vramGiB: t.vramGiB } : {}),
      ...(t.vcpus ? { vcpus: t.vcpus } : {}),
      ...(t.memoryGiB ? { memoryGiB: t.memoryGiB } : {}),
    };
    offers.push({ ...base, id: ec2OfferId(region, instanceType, 'on-demand'), available: od !== undefined, priceMicrosPerHour: od ?? 0, ...(sp !== undefined ? { spotPriceMicrosPerHour: sp } : {}), canStop: t.ebsRoot });
    if (sp !== undefined) offers.push({ ...base, id: ec2OfferId(region, instanceType, 'spot'), description: `${base.description}, spot (one-time)`, available: true, priceMicrosPerHour: sp, spotPriceMicrosPerHour: sp, spot: true, canStop: false });
  }
  return offers;
}
