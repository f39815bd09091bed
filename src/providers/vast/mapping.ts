import { plausibleStateSince, type Instance, type InstanceState, type SshEndpoint } from '../../core/providers/instance';
import { dollarsToMicros } from '../../core/providers/money';
import type { Offer } from '../../core/providers/offer';
import type { VastInstance, VastOffer } from './schemas';

/** `actual_status` (providers.md §3.3). "exited" is decided with intended_status below; unknown/offline stay unknown. */
const STATES: Readonly<Record<string, InstanceState>> = {
  created: 'provisioning',
  scheduling: 'provisioning',
  loading: 'booting',
  rebooting: 'booting',
  running: 'running',
  stopped: 'stopped',
};

/**
 * Vast reports what the container is (`actual_status`) and what it should be (`intended_status`); the pair says
 * whether it is on its way: running→stopped is stopping, stopped→running is waiting for its GPUs ("scheduling").
 */
export function vastState(i: VastInstance): InstanceState {
  const actual = i.actual_status?.trim() ?? null;
  const intended = i.intended_status?.trim();
  // `cur_state: unloaded` = released by a destroy; the record may linger for a moment.
  if (i.cur_state === 'unloaded') return 'terminated';
  if (actual === null || actual === '') return 'provisioning';
  if (actual === 'running' && intended === 'stopped') return 'stopping';
  if (actual === 'stopped' && intended === 'running') return 'provisioning';
  // Frozen keeps memory and bills the GPU: not "stopped" in the billing sense the UI shows.
  if (actual === 'frozen') return 'unknown';
  // Vast's guide: an instance that exited on its way up never gets there; one the user stopped is just stopped.
  if (actual === 'exited') return intended === 'stopped' ? 'stopped' : 'error';
  return STATES[actual] ?? 'unknown';
}

/**
 * vast-cli's ssh-url rule: a mapped 22/tcp means direct (`public_ipaddr`:HostPort); otherwise the proxy
 * (`ssh_host`:`ssh_port`, +1 for jupyter runtypes). Host and port always come from the same source: SkyPilot's mix
 * of `ssh_host` with HostPort reaches nothing (providers.md §3.4).
 */
export function vastSsh(i: VastInstance): SshEndpoint | undefined {
  const direct = i.ports?.['22/tcp']?.[0]?.HostPort;
  const ip = i.public_ipaddr?.trim();
  if (direct !== undefined && ip) return { host: ip, port: direct, user: 'root' };
  const proxyHost = i.ssh_host?.trim();
  if (proxyHost && i.ssh_port) {
    const jupyter = (i.image_runtype ?? '').includes('jupyter');
    return { host: proxyHost, port: i.ssh_port + (jupyter ? 1 : 0), user: 'root' };
  }
  return undefined;
}

const UPTIME_ROUNDING_MS = 6_000;

/**
 * When a running instance last started: `uptime_mins` back from our clock (the field is relative, so the two clocks
 * need not agree). Only 'running' is dated: `start_date` is the rental's creation, the same running or stopped, so a
 * stop has no date here, and a stopping instance's uptime dates its start, not the stop. Anything else: not known.
 */
export function vastStateSince(i: VastInstance, state: InstanceState, now: number): number | undefined {
  const up = i.uptime_mins;
  if (state !== 'running' || typeof up !== 'number' || !Number.isFinite(up) || up < 0) return undefined;
  const created = typeof i.start_date === 'number' && Number.isFinite(i.start_date) ? i.start_date * 1000 : undefined;
  let raw = now - up * 60_000;
  // Vast rounds uptime to a tenth of a minute: up to 6 s before the creation is a fresh instance, not a bad value.
  if (created !== undefined && raw < created && raw >= created - UPTIME_ROUNDING_MS) raw = created;
  return plausibleStateSince(raw, now, created);
}

/** `now` is our clock when the body arrived; it dates a running instance's start (vastStateSince). */
export function toVastInstance(i: VastInstance, now: number): Instance {
  const state = vastState(i);
  const since = vastStateSince(i, state, now);
  // SSH only while running: a stopped instance keeps stale ssh_host/ssh_port fields.
  const ssh = state === 'running' ? vastSsh(i) : undefined;
  return {
    provider: 'vast',
    id: String(i.id),
    name: i.label?.trim() || String(i.id),
    state,
    providerStatus: i.actual_status ?? 'provisioning',
    gpuModel: i.gpu_name?.trim() ?? '',
    gpuCount: i.num_gpus ?? 0,
    priceMicrosPerHour: dollarsToMicros(billedPerHour(i, state)),
    ...(i.start_date ? { createdAt: Math.round(i.start_date * 1000) } : {}),
    ...(since !== undefined ? { stateSince: since } : {}),
    ...(i.geolocation ? { region: i.geolocation } : {}),
    ...(ssh ? { ssh } : {}),
  };
}

/** A stopped instance bills its storage only (providers.md §3.3); `dph_total` is the running rate. */
function billedPerHour(i: VastInstance, state: InstanceState): number {
  if (state === 'stopped') return i.storage_total_cost ?? 0;
  return i.dph_total ?? 0;
}

/**
 * One offer per Vast ask. Vast prices the whole machine slice: `dph_total` covers every GPU in the offer plus the
 * storage at the searched `allocated_storage`, and `min_bid` is the interruptible price for the same slice, so
 * neither is multiplied by the GPU count (unlike RunPod's per-GPU catalog).
 */
export function toVastOffer(o: VastOffer): Offer {
  const vram = Math.round(o.gpu_ram / 1024);
  const where = o.geolocation?.trim();
  return {
    provider: 'vast',
    id: String(o.id),
    instanceType: o.gpu_name,
    gpuModel: o.gpu_name,
    description: `${o.num_gpus}x ${o.gpu_name} (${vram} GB)${where ? `, ${where}` : ''}${o.machine_id ? `, machine ${o.machine_id}` : ''}`,
    gpuCount: o.num_gpus,
    vramGiB: vram,
    ...(where ? { region: where } : {}),
    available: o.rentable !== false && o.rented !== true,
    priceMicrosPerHour: dollarsToMicros(o.dph_total),
    ...(o.min_bid ? { spotPriceMicrosPerHour: dollarsToMicros(o.min_bid) } : {}),
    canStop: true,
    ...(o.cpu_cores_effective ? { vcpus: o.cpu_cores_effective } : {}),
    ...(o.cpu_ram ? { memoryGiB: Math.round(o.cpu_ram / 1024) } : {}),
    ...(o.disk_space ? { diskGiB: o.disk_space } : {}),
  };
}

/** Offer ids are Vast's integer ask ids; anything else did not come from this provider. */
export function parseVastOfferId(offerId: string): number | undefined {
  return /^\d+$/.test(offerId) ? Number(offerId) : undefined;
}
