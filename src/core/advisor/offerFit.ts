import type { Micros } from '../providers/money';
import type { Offer } from '../providers/offer';
import { scaled } from '../provisioning/offerFilter';
import type { EstimateInput, MemoryEstimate } from './memoryEstimate';
import { ALLOCATOR_OVERHEAD, CUDA_CONTEXT_BYTES, estimateMemory } from './memoryEstimate';

const GIB = 2 ** 30;

/**
 * How an offer would carry the workload: on one GPU; split across n GPUs by tensor or pipeline parallelism (the
 * model's memory divides, each GPU keeps its own CUDA context); or, where the user chose ZeRO, data-parallel with
 * the states sharded across every GPU of the offer.
 */
export type FitMode = 'oneGpu' | 'modelParallel' | 'zero';

export interface OfferFit {
  readonly offer: Offer;
  readonly mode: FitMode;
  /** GPUs the workload uses: 1, the n of the split, or the offer's count under ZeRO. */
  readonly gpus: number;
  readonly perGpuBytes: number;
  /** Per GPU, after the headroom. */
  readonly usableBytes: number;
  /** The offer's price, or for offers whose GPU count is chosen at launch (RunPod), the price of `gpus` GPUs. */
  readonly priceMicrosPerHour: Micros;
}

export interface FitResult {
  readonly fits: readonly OfferFit[];
  /** Offers that do not say how much memory their GPUs have: not judged, counted so the UI can say so. */
  readonly unknownVram: number;
}

/** Share of each GPU's memory left free: the estimate is an estimate, and fragmentation grows with a run. */
export const DEFAULT_HEADROOM = 0.1;

/** Per-GPU memory when the model's tensors are split evenly across n GPUs (TP/PP); context and allocator per GPU. */
export function splitAcross(estimate: MemoryEstimate, n: number): number {
  const tensors = estimate.parts.filter((p) => p.key !== 'cudaContext' && p.key !== 'allocator').reduce((s, p) => s + p.bytes, 0);
  return (tensors / n) * (1 + ALLOCATOR_OVERHEAD) + CUDA_CONTEXT_BYTES;
}

/** The offers that carry the workload, available ones first, each group cheapest first, then fewer GPUs first. */
export function fitOffers(input: EstimateInput, offers: readonly Offer[], headroom = DEFAULT_HEADROOM): FitResult {
  const single = estimateMemory(input);
  const fits: OfferFit[] = [];
  let unknownVram = 0;
  for (const offer of offers) {
    if (offer.vramGiB === undefined || offer.vramGiB <= 0) {
      unknownVram += 1;
      continue;
    }
    const fit = fitOne(input, single, offer, offer.vramGiB * GIB * (1 - headroom));
    if (fit) fits.push(fit);
  }
  fits.sort((a, b) => Number(b.offer.available) - Number(a.offer.available) || a.priceMicrosPerHour - b.priceMicrosPerHour || a.gpus - b.gpus);
  return { fits, unknownVram };
}

function fitOne(input: EstimateInput, single: MemoryEstimate, offer: Offer, usable: number): OfferFit | undefined {
  const maxGpus = Math.max(offer.gpuCount, offer.maxGpuCount ?? 0);
  // Priced as Provision would launch it: per-GPU offers scaled to the count, the rest at their own price.
  const price = (gpus: number): Micros => (offer.maxGpuCount !== undefined ? scaled(offer, gpus)?.offer.priceMicrosPerHour : undefined) ?? offer.priceMicrosPerHour;
  const zero = input.zero;
  if (zero && zero.stage > 0 && input.workload !== 'inference') {
    const gpus = offer.maxGpuCount !== undefined ? Math.max(zero.gpus, offer.gpuCount) : offer.gpuCount;
    if (gpus > maxGpus) return undefined;
    const perGpu = estimateMemory({ ...input, zero: { stage: zero.stage, gpus } }).totalBytes;
    return perGpu <= usable ? { offer, mode: 'zero', gpus, perGpuBytes: perGpu, usableBytes: usable, priceMicrosPerHour: price(gpus) } : undefined;
  }
  if (single.totalBytes <= usable) {
    return { offer, mode: 'oneGpu', gpus: 1, perGpuBytes: single.totalBytes, usableBytes: usable, priceMicrosPerHour: price(1) };
  }
  for (let n = 2; n <= maxGpus; n++) {
    const perGpu = splitAcross(single, n);
    if (perGpu <= usable) return { offer, mode: 'modelParallel', gpus: n, perGpuBytes: perGpu, usableBytes: usable, priceMicrosPerHour: price(n) };
  }
  return undefined;
}
