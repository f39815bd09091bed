import { isRemoteGpuError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { Micros } from '../../core/providers/money';
import type { Ec2Api } from './api';
import { parsePriceListItem, toTypeInfo, type Ec2TypeInfo } from './mapping';

/** NVIDIA GPU families (DescribeInstanceTypeOfferings accepts these wildcards). */
export const EC2_GPU_TYPE_PATTERNS: readonly string[] = ['g4dn.*', 'g5.*', 'g6.*', 'g6e.*', 'gr6.*', 'p3.*', 'p3dn.*', 'p4d.*', 'p4de.*', 'p5.*', 'p5e.*', 'p5en.*'];

/**
 * Instance-type facts and prices, cached per provider: DescribeInstances says only "g5.xlarge", so the GPU model,
 * count and rate of an instance come from here. The Pricing API is slow and changes monthly, so on-demand prices
 * are fetched once per type; spot prices are refreshed whenever offers are listed.
 */
export class Ec2Catalog {
  readonly types = new Map<string, Ec2TypeInfo>();
  readonly onDemand = new Map<string, Micros>();
  readonly spot = new Map<string, Micros>();
  regionName: string | undefined;

  constructor(
    private readonly api: Ec2Api,
    private readonly region: string,
    private readonly logger: Logger,
  ) {}

  /** Every GPU type offered in the region, with fresh prices: what listOffers shows. */
  async refresh(patterns: readonly string[], signal?: AbortSignal): Promise<void> {
    const offered = await this.api.offeredTypes(patterns, signal);
    await this.loadTypes(offered, signal);
    const gpuTypes = offered.filter((t) => (this.types.get(t)?.gpuCount ?? 0) > 0);
    if (gpuTypes.length === 0) return;
    await Promise.all([this.loadOnDemand(gpuTypes, signal), this.loadSpot(gpuTypes, signal)]);
  }

  /** Fills what an instance list needs and the cache lacks; a failure leaves the instance unpriced, not unlisted. */
  async ensure(types: readonly string[], spot: readonly string[], signal?: AbortSignal): Promise<void> {
    try {
      await this.loadTypes(types.filter((t) => !this.types.has(t)), signal);
      const unpriced = types.filter((t) => !this.onDemand.has(t));
      const unspotted = spot.filter((t) => !this.spot.has(t));
      await Promise.all([unpriced.length ? this.loadOnDemand(unpriced, signal) : undefined, unspotted.length ? this.loadSpot(unspotted, signal) : undefined]);
    } catch (e) {
      if (isRemoteGpuError(e) && e.reason === 'cancelled') throw e;
      this.logger.warn(`instance type details unavailable: ${describe(e)}`);
    }
  }

  private async loadTypes(types: readonly string[], signal?: AbortSignal): Promise<void> {
    if (types.length === 0) return;
    for (const t of await this.api.instanceTypes(types, signal)) this.types.set(t.InstanceType, toTypeInfo(t));
  }

  /** Prices are a nicety next to the shapes: offers without a price are shown unavailable, not dropped. */
  private async loadOnDemand(types: readonly string[], signal?: AbortSignal): Promise<void> {
    try {
      for (const text of await this.api.priceList(this.region, types, signal)) {
        const price = parsePriceListItem(text);
        if (!price) continue;
        this.onDemand.set(price.instanceType, price.micros);
        this.regionName ??= price.location;
      }
    } catch (e) {
      if (isRemoteGpuError(e) && e.reason === 'cancelled') throw e;
      this.logger.warn(`on-demand prices unavailable: ${describe(e)}`);
    }
  }

  /** The cheapest AZ's current price per type: what a spot launch without a pinned AZ is likely to pay. */
  private async loadSpot(types: readonly string[], signal?: AbortSignal): Promise<void> {
    try {
      const cheapest = new Map<string, Micros>();
      for (const p of await this.api.spotPrices(types, signal)) {
        const micros = Math.round(p.SpotPrice * 1_000_000);
        const known = cheapest.get(p.InstanceType);
        if (known === undefined || micros < known) cheapest.set(p.InstanceType, micros);
      }
      for (const [t, m] of cheapest) this.spot.set(t, m);
    } catch (e) {
      if (isRemoteGpuError(e) && e.reason === 'cancelled') throw e;
      this.logger.warn(`spot prices unavailable: ${describe(e)}`);
    }
  }
}

function describe(e: unknown): string {
  return isRemoteGpuError(e) ? `${e.reason} ${e.detail ?? e.message}` : String(e);
}
