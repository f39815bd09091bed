import { describe, expect, it } from 'vitest';
import { RemoteGpuError } from '../errors';
import type { Offer } from '../providers/offer';
import type { CloudProvider } from '../providers/provider';
import { perDay } from '../providers/money';
import { formatPerHour, formatUsd } from '../../shared/localeFormat';
import { gatherOffers } from './offerCatalog';
import { NO_FILTER, selectOffers } from './offerFilter';
import { defaultInstanceName, dollarsInputToMicros, uploadKeyName, validateInstanceName } from './validation';

const o = (id: string, over: Partial<Offer>): Offer => ({ provider: 'ec2', id, instanceType: id, gpuModel: 'A10G', gpuCount: 1, vramGiB: 24, region: 'us-east-1', available: true, priceMicrosPerHour: 1_000_000, canStop: true, ...over });

const OFFERS = [
  o('g5-od', { priceMicrosPerHour: 1_006_000, spotPriceMicrosPerHour: 398_700 }),
  o('g5-spot', { priceMicrosPerHour: 398_700, spotPriceMicrosPerHour: 398_700, spot: true, canStop: false }),
  o('p5', { gpuModel: 'H100', gpuCount: 8, vramGiB: 80, priceMicrosPerHour: 98_320_000 }),
  o('t4', { gpuModel: 'T4', vramGiB: undefined, priceMicrosPerHour: 526_000, region: 'eu-west-1' }),
  o('rp', { provider: 'runpod', gpuModel: 'H100', vramGiB: 80, priceMicrosPerHour: 2_690_000, maxGpuCount: 8 }),
  o('gone', { priceMicrosPerHour: 1, available: false }),
];
const ids = (f: Parameters<typeof selectOffers>[1]): string[] => selectOffers(OFFERS, f).map((c) => c.offer.id);

describe('selectOffers', () => {
  it('sorts available offers by price and puts sold-out ones after them, never dropping them', () => {
    expect(ids(NO_FILTER)).toEqual(['g5-spot', 't4', 'g5-od', 'rp', 'p5', 'gone']);
  });
  it('spot means offers that launch interruptible; a shown spot price alone is on-demand', () => {
    expect(ids({ market: 'spot' })).toEqual(['g5-spot']);
    expect(ids({ market: 'onDemand' })).toEqual(['t4', 'g5-od', 'rp', 'p5', 'gone']);
  });
  it('minimum VRAM excludes offers that do not state it; model is case-insensitive; region and provider match exactly', () => {
    expect(ids({ market: 'any', minVramGiB: 24 })).not.toContain('t4');
    expect(ids({ market: 'any', gpuModel: 'h100' })).toEqual(['rp', 'p5']);
    expect(ids({ market: 'any', region: 'eu-west-1' })).toEqual(['t4']);
    expect(ids({ market: 'any', provider: 'runpod' })).toEqual(['rp']);
  });
  it('a GPU count scales offers whose count can be chosen (per-GPU prices), and the price cap applies to the scaled price', () => {
    const eight = selectOffers(OFFERS, { market: 'any', gpuCount: 8 });
    expect(eight.map((c) => [c.offer.id, c.offer.priceMicrosPerHour, c.requestGpuCount])).toEqual([
      ['rp', 21_520_000, 8],
      ['p5', 98_320_000, undefined],
    ]);
    expect(ids({ market: 'any', gpuCount: 8, maxMicrosPerHour: 21_519_999 })).toEqual([]);
    expect(ids({ market: 'any', gpuCount: 9 })).toEqual([]);
  });
});

describe('gatherOffers', () => {
  const provider = (id: CloudProvider['id'], listOffers: CloudProvider['listOffers']): CloudProvider =>
    ({ id, displayName: id.toUpperCase(), listOffers }) as unknown as CloudProvider;
  it('asks all providers at once and turns a failure into a note', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = (offers: Offer[]) => async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return offers;
    };
    const got = await gatherOffers([
      provider('ec2', slow([OFFERS[0] as Offer])),
      provider('vast', async () => Promise.reject(new RemoteGpuError('auth', 'Vast.ai refused the API key.'))),
      provider('runpod', slow([OFFERS[4] as Offer])),
    ]);
    expect(most).toBe(2);
    expect(got.offers.map((x) => x.id)).toEqual(['g5-od', 'rp']);
    expect(got.failures.map((f) => [f.provider, f.error.reason, f.error.message])).toEqual([['vast', 'auth', 'Vast.ai refused the API key.']]);
  });
  it('a cancellation cancels the whole gathering', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(gatherOffers([provider('ec2', async () => Promise.reject(new RemoteGpuError('cancelled', 'Cancelled.')))], abort.signal)).rejects.toMatchObject({ reason: 'cancelled' });
  });
});

describe('money and names', () => {
  it('formats micro-dollars, and a day is exactly 24 hours of the rate', () => {
    expect(formatUsd(2_490_000)).toBe('$2.49');
    expect(formatPerHour(398_700)).toBe('$0.40/h');
    expect(perDay(2_490_000)).toBe(59_760_000);
    expect(dollarsInputToMicros(' $2.5 ')).toBe(2_500_000);
    expect(dollarsInputToMicros('0.000001')).toBe(1);
    expect(dollarsInputToMicros('-1')).toBeUndefined();
    expect(dollarsInputToMicros('1e3')).toBeUndefined();
  });
  it('names: a default that passes validation; hostile text refused; upload names from the key comment', () => {
    const name = defaultInstanceName('RTX 4090 (24 GB)', Date.UTC(2026, 0, 2, 3, 4));
    expect(name).toBe('rgpu-rtx-4090-24-gb-0102-0304');
    expect(validateInstanceName(name)).toBeUndefined();
    expect(validateInstanceName('$(rm -rf ~)')).toBeDefined();
    expect(validateInstanceName('')).toBeDefined();
    expect(uploadKeyName('ssh-ed25519 AAAAxyz me@laptop', 'me@laptop')).toBe('remote-gpu-me@laptop');
    expect(uploadKeyName('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK+/ab', '')).toBe('remote-gpu-AAIKxxab');
  });
});
