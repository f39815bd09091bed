import { describe, expect, it } from 'vitest';
import type { ProviderCapabilities } from '../providers/capabilities';
import type { Instance } from '../providers/instance';
import { accrualEntries } from './accrual';
import type { ObservedBilling } from './accrual';
import { CostBook } from './costBook';
import { summarize } from './counters';
import { formatUsd } from '../../shared/localeFormat';
import { parseLedger, serializeEntry } from './ledgerEntry';
import type { LedgerEntry } from './ledgerEntry';
import { costOf, instanceRate, sshHostRate } from './rates';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 23, 0, 0, 0); // a Monday, midnight UTC
const caps = (stopKeepsBilling: ProviderCapabilities['stopKeepsBilling']): ProviderCapabilities => ({
  canStop: true, stopKeepsBilling, gpuMayNotReturnOnStart: false, canRestart: true, hasSpot: false, sshKeys: 'account', hostKeyFingerprints: false, terminateErasesDisk: true,
});
const inst = (over: Partial<Instance>): Instance => ({
  provider: 'runpod', id: 'p1', name: 'trainer', state: 'running', providerStatus: 'RUNNING', gpuModel: 'H100', gpuCount: 1, priceMicrosPerHour: 2_690_000, ...over,
});
const seen = (key: string, microsPerHour: number, createdAt?: number, provider = 'runpod'): ObservedBilling => ({
  key, provider, name: key, rate: { microsPerHour, basis: 'running' }, createdAt,
});

/** The lease holder's loop, in memory: accrue, append, fold. Returns every line written. */
function writeAt(book: CostBook, now: number, observed: ObservedBilling[], listed = ['runpod']): LedgerEntry[] {
  const lines = accrualEntries(book, { observed, listedProviders: new Set(listed), now, writer: 'w1' });
  book.add(lines);
  return lines;
}

describe('rates', () => {
  it('bills running at the price, stopped per what the provider keeps billing', () => {
    expect(instanceRate(inst({}), { capabilities: caps('disk') })).toEqual({ microsPerHour: 2_690_000, basis: 'running' });
    expect(instanceRate(inst({ state: 'stopped', priceMicrosPerHour: 0 }), { capabilities: caps('none'), lastRunningMicrosPerHour: 2_690_000 }).microsPerHour).toBe(0);
    expect(instanceRate(inst({ state: 'stopped', priceMicrosPerHour: 0 }), { capabilities: caps('all'), lastRunningMicrosPerHour: 2_690_000 }).microsPerHour).toBe(2_690_000);
    expect(instanceRate(inst({ state: 'stopped', priceMicrosPerHour: 14_000 }), { capabilities: caps('disk') })).toEqual({ microsPerHour: 14_000, basis: 'stopped' });
    expect(instanceRate(inst({ state: 'stopped', priceMicrosPerHour: 0 }), { capabilities: caps('disk'), stoppedDiskMicrosPerHour: 5000 })).toEqual({ microsPerHour: 5000, basis: 'stoppedEstimate' });
    expect(instanceRate(inst({ state: 'terminated' }), { capabilities: caps('disk') }).microsPerHour).toBe(0);
    expect(instanceRate(inst({ state: 'provisioning' }), { capabilities: caps('disk') }).microsPerHour).toBe(0);
    expect(sshHostRate(undefined)).toEqual({ microsPerHour: 0, basis: 'sshHost' });
  });

  it('costs are exact integer micro-dollars', () => {
    expect(costOf(2_690_000, 90 * 60_000)).toBe(4_035_000);
    expect(costOf(1, 1)).toBe(0);
  });
});

describe('ledger lines and the folded book', () => {
  it('accrues from the provider launch time, so hours with VS Code closed count', () => {
    const book = new CostBook();
    writeAt(book, T0 + 10 * H, [seen('runpod:p1', 2_000_000, T0 + 4 * H)]);
    expect(book.totalFor('runpod:p1', T0 + 10 * H)).toBe(12_000_000);
    // Without a launch time (Lambda) from first sight.
    writeAt(book, T0 + 10 * H, [seen('lambda:x', 1_000_000, undefined, 'lambda')], ['lambda']);
    expect(book.totalFor('lambda:x', T0 + 11 * H)).toBe(1_000_000);
  });

  it('holds the last rate across a restart and a rate change applies from when it was seen', () => {
    const book = new CostBook();
    const written = [
      ...writeAt(book, T0, [seen('k', 3_000_000, T0)]),
      ...writeAt(book, T0 + H, [seen('k', 3_000_000)]),
      ...writeAt(book, T0 + 2 * H, [seen('k', 10_000)]), // stopped: the disk only from here
    ];
    // VS Code closed for ten hours; the new window folds the ledger text and carries on.
    const restarted = new CostBook();
    restarted.add(parseLedger(written.map(serializeEntry).join('')).entries);
    writeAt(restarted, T0 + 12 * H, [seen('k', 10_000)]);
    expect(restarted.totalFor('k', T0 + 12 * H)).toBe(6_000_000 + 100_000);
  });

  it('never counts a line twice: duplicates and overlaps from two writers are clipped', () => {
    const a = { v: 1, key: 'k', provider: 'runpod', name: 'n', from: T0, to: T0 + H, rate: 1_000_000, rateAfter: 1_000_000, writer: 'a' } as const;
    const overlapping = { ...a, from: T0 + H / 2, to: T0 + 2 * H, writer: 'b' };
    const book = new CostBook();
    book.add([a, a, overlapping, a, overlapping]);
    expect(book.totalFor('k', T0 + 2 * H)).toBe(2_000_000);
  });

  it('a torn last line and garbage lines are skipped, not fatal; the torn tail is not consumed', () => {
    const good = serializeEntry({ v: 1, key: 'k', provider: 'ssh', name: 'box', from: T0, to: T0 + H, rate: 500_000, rateAfter: 0, writer: 'w' });
    const text = `${good}not json\n{"v":1,"key":"k"}\n${good.slice(0, 30)}`;
    const parsed = parseLedger(text);
    expect(parsed.entries).toHaveLength(1);
    expect(parsed.badLines).toBe(2);
    expect(parsed.consumed).toBe(text.lastIndexOf('\n') + 1);
  });

  it('an instance gone from a successful listing stops billing when it was last seen; a failed listing proves nothing', () => {
    const book = new CostBook();
    writeAt(book, T0, [seen('runpod:a', 1_000_000, T0), seen('vast:b', 1_000_000, T0, 'vast')], ['runpod', 'vast']);
    writeAt(book, T0 + H, [seen('runpod:a', 1_000_000), seen('vast:b', 1_000_000, undefined, 'vast')], ['runpod', 'vast']);
    // VS Code closed for 3 hours; runpod:a is gone without a date, vast's list failed.
    const lines = writeAt(book, T0 + 4 * H, [], ['runpod']);
    expect(lines.map((l) => [l.key, l.from, l.to, l.rateAfter])).toEqual([['runpod:a', T0 + H, T0 + H, 0]]);
    expect(book.instance('runpod:a')?.rateAfter).toBe(0);
    expect(book.instance('vast:b')?.rateAfter).toBe(1_000_000);
    expect(book.totalFor('runpod:a', T0 + 5 * H)).toBe(1_000_000);
    expect(book.totalFor('vast:b', T0 + 5 * H)).toBe(5_000_000);
  });
});

describe('counters', () => {
  it('today, this month and the month projected at the current burn rate', () => {
    const book = new CostBook();
    const now = T0 + 6 * H; // 23 Nov 06:00 UTC
    writeAt(book, T0 - 24 * H, [seen('runpod:a', 1_000_000, T0 - 48 * H)]);
    writeAt(book, now, [seen('runpod:a', 1_000_000)]);
    const s = summarize(book, now, 0);
    expect(s.todayMicros).toBe(6_000_000);
    expect(s.monthMicros).toBe(54_000_000);
    expect(s.burnMicrosPerHour).toBe(1_000_000);
    // 7 days and 18 hours left in November.
    expect(s.projectedMonthMicros).toBe(54_000_000 + (7 * 24 + 18) * 1_000_000);
    expect(s.byProvider.get('runpod')).toEqual({ todayMicros: 6_000_000, monthMicros: 54_000_000 });
    // In UTC+10 the local day began at 14:00 UTC yesterday.
    expect(summarize(book, now, 600).todayMicros).toBe(16_000_000);
    expect(formatUsd(s.todayMicros)).toBe('$6.00');
    expect(formatUsd(4200)).toBe('$0.0042');
    // 4 decimals would round 49 micro-dollars to "$0.0000", which reads as free.
    expect(formatUsd(49)).toBe('under $0.0001');
    expect(formatUsd(50)).toBe('$0.0001');
    expect(formatUsd(0)).toBe('$0.00');
  });
});
