import type { Micros } from './money';
import type { ProviderId } from './providerId';

/**
 * Something that can be provisioned: one machine shape in one region at one price. Prices are for the whole
 * offer (all its GPUs), per hour, in integer micro-dollars.
 */
export interface Offer {
  readonly provider: ProviderId;
  /** Opaque to everyone but the provider that made it; pass it back in ProvisionRequest.offerId. */
  readonly id: string;
  /** The provider's own name for the shape, e.g. "gpu_1x_a10" or "NVIDIA GeForce RTX 4090". */
  readonly instanceType: string;
  /** Short model for filtering and display, e.g. "A10", "H100 SXM", "RTX 4090". */
  readonly gpuModel: string;
  /** The provider's longer description, e.g. "1x H100 (80 GB SXM5)". */
  readonly description?: string;
  readonly gpuCount: number;
  /** Where the provider lets the count be chosen at launch (RunPod), the most it allows; prices scale per GPU. */
  readonly maxGpuCount?: number;
  /** Memory per GPU in GiB, when the provider says. */
  readonly vramGiB?: number;
  /** Region or data centre id; undefined for a type that is sold out everywhere. */
  readonly region?: string;
  readonly regionName?: string;
  /** False for a type the provider lists but cannot place now (shown greyed, never hidden). */
  readonly available: boolean;
  readonly priceMicrosPerHour: Micros;
  /** Interruptible price, where the provider has one. */
  readonly spotPriceMicrosPerHour?: Micros;
  /**
   * True when provisioning this offer launches an interruptible (spot) instance, as EC2's separate spot offers do.
   * A spotPriceMicrosPerHour alone only shows a price the provider could not launch at (RunPod, Vast today).
   */
  readonly spot?: boolean;
  readonly canStop: boolean;
  readonly vcpus?: number;
  readonly memoryGiB?: number;
  readonly diskGiB?: number;
}
