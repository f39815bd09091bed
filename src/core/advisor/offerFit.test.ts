import { describe, expect, it } from 'vitest';
import type { Offer } from '../providers/offer';
import type { EstimateInput } from './memoryEstimate';
import { estimateMemory } from './memoryEstimate';
import { shapeFromParams } from './modelShape';
import { fitOffers, splitAcross } from './offerFit';
import { rulesOfThumb } from './rulesOfThumb';

const offer = (over: Partial<Offer> & Pick<Offer, 'id' | 'gpuCount' | 'priceMicrosPerHour'>): Offer => ({
  provider: 'lambda', instanceType: over.id, gpuModel: 'H100', available: true, canStop: false, vramGiB: 80, ...over,
});
const A10 = offer({ id: 'a10', gpuModel: 'A10', gpuCount: 1, vramGiB: 24, priceMicrosPerHour: 750_000 });
const H100 = offer({ id: 'h100', gpuCount: 1, priceMicrosPerHour: 2_490_000 });
const H100x8 = offer({ id: 'h100x8', gpuCount: 8, priceMicrosPerHour: 23_920_000 });
const RTX_POD = offer({ provider: 'runpod', id: 'rtx', gpuModel: 'RTX 4090', gpuCount: 1, maxGpuCount: 8, vramGiB: 24, priceMicrosPerHour: 690_000 });
const SOLD_OUT = offer({ id: 'a100', gpuModel: 'A100', gpuCount: 1, priceMicrosPerHour: 1_290_000, available: false });
const NO_VRAM = offer({ id: 'mystery', gpuCount: 1, priceMicrosPerHour: 100_000, vramGiB: undefined });
const ALL = [H100x8, A10, H100, RTX_POD, SOLD_OUT, NO_VRAM];

const inference = (params: number, over: Partial<EstimateInput> = {}): EstimateInput => ({
  model: shapeFromParams(params), workload: 'inference', precision: 'bf16', batchSize: 1, sequenceLength: 2048, ...over,
});

describe('offers that fit', () => {
  it('a 7B model in BF16 fits one 24 GB GPU: cheapest first, sold-out last, unknown memory counted, not judged', () => {
    const { fits, unknownVram } = fitOffers(inference(7e9), ALL);
    expect(fits.map((f) => [f.offer.id, f.mode, f.gpus])).toEqual([
      ['rtx', 'oneGpu', 1], ['a10', 'oneGpu', 1], ['h100', 'oneGpu', 1], ['h100x8', 'oneGpu', 1], ['a100', 'oneGpu', 1],
    ]);
    expect(unknownVram).toBe(1);
  });

  it('a 70B model in BF16 (140 GB of weights + 2k tokens of KV cache) needs 3 H100s of an 8x box, two being just over the 10 % headroom; a per-GPU-priced pod is priced for the GPUs it needs', () => {
    const { fits } = fitOffers(inference(70e9), ALL);
    const byId = new Map(fits.map((f) => [f.offer.id, f]));
    expect(byId.get('h100')).toBeUndefined();
    expect(byId.get('a10')).toBeUndefined();
    expect(byId.get('h100x8')).toMatchObject({ mode: 'modelParallel', gpus: 3, priceMicrosPerHour: 23_920_000 });
    const two = splitAcross(estimateMemory(inference(70e9)), 2);
    expect(two).toBeGreaterThan(80 * 2 ** 30 * 0.9);
    expect(two).toBeLessThan(80 * 2 ** 30);
    const rtx = byId.get('rtx');
    expect(rtx?.mode).toBe('modelParallel');
    expect(rtx?.gpus).toBe(7);
    expect(rtx?.priceMicrosPerHour).toBe(7 * 690_000);
    // The split really fits with the 10 % headroom, and one GPU fewer would not.
    const single = estimateMemory(inference(70e9));
    expect(splitAcross(single, 7)).toBeLessThanOrEqual(24 * 2 ** 30 * 0.9);
    expect(splitAcross(single, 6)).toBeGreaterThan(24 * 2 ** 30 * 0.9);
  });

  it('with ZeRO-3 the states shard over every GPU of the offer; a model too big for any offer lists nothing', () => {
    const zero: EstimateInput = { model: shapeFromParams(30e9), workload: 'full', precision: 'bf16', batchSize: 1, sequenceLength: 1024, gradientCheckpointing: true, zero: { stage: 3, gpus: 8 } };
    const { fits } = fitOffers(zero, [H100, H100x8]);
    expect(fits.map((f) => [f.offer.id, f.mode, f.gpus])).toEqual([['h100x8', 'zero', 8]]);
    expect(fitOffers(inference(2e12), ALL).fits).toEqual([]);
  });
});

describe('rules of thumb', () => {
  it('short work on demand; spot only when checkpoints come more often than interruptions', () => {
    expect(rulesOfThumb({ expectedHours: 20, checkpointCadenceMinutes: 30 }).map((a) => a.code)).toEqual(['shortRunOnDemand', 'spotCadenceOk', 'estimateNotMeasurement']);
    expect(rulesOfThumb({ expectedHours: 400, checkpointCadenceMinutes: 180, modelParallelGpus: 4 }).map((a) => a.code)).toEqual([
      'longRunReservedOrSpot', 'spotCadenceTooSlow', 'modelParallelNeedsFastLinks', 'estimateNotMeasurement',
    ]);
    expect(rulesOfThumb({}).map((a) => a.code)).toContain('spotNeedsCheckpoints');
  });
});
