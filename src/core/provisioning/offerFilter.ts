import type { Micros } from '../providers/money';
import type { Offer } from '../providers/offer';
import type { ProviderId } from '../providers/providerId';

export type Market = 'any' | 'onDemand' | 'spot';

/** What the user narrowed the offers to. Absent fields match everything. */
export interface OfferFilter {
  readonly provider?: ProviderId;
  /** Matched case-insensitively against Offer.gpuModel. */
  readonly gpuModel?: string;
  readonly minVramGiB?: number;
  readonly gpuCount?: number;
  readonly maxMicrosPerHour?: Micros;
  readonly region?: string;
  readonly market: Market;
}

export const NO_FILTER: OfferFilter = { market: 'any' };

/**
 * An offer as it would be launched: for a provider that lets the GPU count be chosen (RunPod), the offer scaled
 * to the wanted count, with `requestGpuCount` to send in the ProvisionRequest.
 */
export interface Candidate {
  readonly offer: Offer;
  readonly requestGpuCount?: number;
}

/** The offer at `count` GPUs when the provider allows that many; prices are per GPU there, so they scale exactly. */
export function scaled(offer: Offer, count: number | undefined): Candidate | undefined {
  if (count === undefined || offer.gpuCount === count) return { offer };
  if (offer.maxGpuCount === undefined || count < offer.gpuCount || count > offer.maxGpuCount || offer.gpuCount !== 1) return undefined;
  const spot = offer.spotPriceMicrosPerHour;
  return {
    offer: { ...offer, gpuCount: count, priceMicrosPerHour: offer.priceMicrosPerHour * count, ...(spot !== undefined ? { spotPriceMicrosPerHour: spot * count } : {}) },
    requestGpuCount: count,
  };
}

function matches(o: Offer, f: OfferFilter): boolean {
  if (f.provider !== undefined && o.provider !== f.provider) return false;
  if (f.gpuModel !== undefined && o.gpuModel.toLowerCase() !== f.gpuModel.toLowerCase()) return false;
  // An offer that does not state its VRAM cannot be shown to meet a minimum.
  if (f.minVramGiB !== undefined && (o.vramGiB === undefined || o.vramGiB < f.minVramGiB)) return false;
  if (f.maxMicrosPerHour !== undefined && o.priceMicrosPerHour > f.maxMicrosPerHour) return false;
  if (f.region !== undefined && o.region !== f.region) return false;
  if (f.market === 'spot' && o.spot !== true) return false;
  if (f.market === 'onDemand' && o.spot === true) return false;
  return true;
}

/**
 * Filters and sorts: what can be placed now first, then sold-out types (shown, never hidden), each cheapest first;
 * ties by provider and region so the order is stable between refreshes.
 */
export function selectOffers(offers: readonly Offer[], f: OfferFilter): Candidate[] {
  const out: Candidate[] = [];
  for (const o of offers) {
    const c = scaled(o, f.gpuCount);
    if (c && matches(c.offer, f)) out.push(c);
  }
  return out.sort(
    (a, b) =>
      Number(b.offer.available) - Number(a.offer.available) ||
      a.offer.priceMicrosPerHour - b.offer.priceMicrosPerHour ||
      a.offer.provider.localeCompare(b.offer.provider) ||
      (a.offer.region ?? '').localeCompare(b.offer.region ?? ''),
  );
}

/** Distinct values seen in the offers, for the filter pickers: [value, how many offers have it]. */
export function distinctValues<T extends string | number>(offers: readonly Offer[], pick: (o: Offer) => T | undefined): Array<[T, number]> {
  const counts = new Map<T, number>();
  for (const o of offers) {
    const v = pick(o);
    if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));
}

/** GPU counts an offer can be launched with: its own, or every count up to maxGpuCount where that can be chosen. */
export function launchableCounts(o: Offer): number[] {
  if (o.maxGpuCount === undefined || o.gpuCount !== 1) return [o.gpuCount];
  return Array.from({ length: o.maxGpuCount }, (_, i) => i + 1);
}
