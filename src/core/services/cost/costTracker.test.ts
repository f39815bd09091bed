import { describe, expect, it } from 'vitest';
import { CostLedger } from '../../cost/costLedger';
import type { LedgerStore, WriterLease } from '../../cost/ledgerPorts';
import { RemoteGpuError } from '../../errors';
import { silentLogger } from '../../logger';
import type { ProviderCapabilities } from '../../providers/capabilities';
import type { Instance } from '../../providers/instance';
import type { CloudProvider } from '../../providers/provider';
import { CostTracker, reuseListingMs, type RecentListing } from './costTracker';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

/** The ledger file in memory (the Node store is tested in test/unit/remote and with two processes). */
function memoryStore(lines: string[] = []): LedgerStore & { lines: string[] } {
  let read = 0;
  return {
    lines,
    readNewLines: async () => lines.slice(read, (read = lines.length)),
    append: async (l) => void lines.push(...l),
  };
}
const soleWriter: WriterLease = { id: 'w', tryAcquire: async () => true, renew: async () => true, release: async () => undefined };
const caps: ProviderCapabilities = { canStop: true, stopKeepsBilling: 'disk', gpuMayNotReturnOnStart: true, canRestart: true, hasSpot: true, sshKeys: 'account', hostKeyFingerprints: false, terminateErasesDisk: true };

function fakeProvider(state: { instances: Instance[]; fail: boolean }): CloudProvider {
  return {
    id: 'runpod', displayName: 'RunPod', capabilities: caps,
    listInstances: async () => {
      if (state.fail) throw new RemoteGpuError('unavailable', 'RunPod is not answering.');
      return state.instances;
    },
    // A pod gone from the list is gone for RunPod too (goneInstances asks, and learns no end time).
    getInstance: async (id) => { throw new RemoteGpuError('notFound', `RunPod does not know pod ${id}.`); },
    listOffers: async () => [],
    provision: async () => { throw new Error('unused'); },
    terminate: async () => undefined,
  };
}

const pod = (over: Partial<Instance>): Instance => ({
  provider: 'runpod', id: 'p1', name: 'trainer', state: 'running', providerStatus: 'RUNNING', gpuModel: 'H100', gpuCount: 1, priceMicrosPerHour: 2_690_000, createdAt: T0 - 2 * H, ...over,
});

describe('CostTracker', () => {
  it('bills from launch, follows a stop to the disk estimate, holds through a failed listing, ends at its last sighting once gone', async () => {
    const clock = { t: T0, now() { return this.t; } };
    const state = { instances: [pod({})], fail: false };
    const ssh = { rate: 0 };
    const store = memoryStore();
    const tracker = new CostTracker(new CostLedger(store, soleWriter, silentLogger), {
      providers: async () => [fakeProvider(state)],
      sshHosts: () => [{ id: 'box', label: 'my box', microsPerHour: ssh.rate }],
      stoppedDiskMicrosPerHour: () => 10_000,
    }, clock, silentLogger);

    expect(await tracker.tick()).toBe('writer');
    expect(tracker.summary(0).todayMicros).toBe(5_380_000); // two hours before VS Code saw it
    clock.t += H;
    state.instances = [pod({ state: 'stopped', providerStatus: 'EXITED', priceMicrosPerHour: 0 })];
    await tracker.tick();
    clock.t += 2 * H;
    state.fail = true;
    await tracker.tick();
    expect(tracker.summary(0).todayMicros).toBe(3 * 2_690_000 + 2 * 10_000);
    state.fail = false;
    state.instances = [];
    clock.t += H;
    await tracker.tick();
    clock.t += 5 * H;
    const s = tracker.summary(0);
    // Last seen (stopped) at T0+1h; gone without a date at T0+4h: nothing billed after the last sighting.
    expect(s.todayMicros).toBe(3 * 2_690_000);
    expect(s.burnMicrosPerHour).toBe(0);
    // The free SSH host left no lines; once it has a rate it bills from first sight.
    expect(store.lines.some((l) => l.includes('ssh:box'))).toBe(false);
    ssh.rate = 500_000;
    await tracker.tick();
    clock.t += 2 * H;
    expect(tracker.summary(0).instances.find((i) => i.key === 'ssh:box')?.totalMicros).toBe(1_000_000);
  });

  it('uses a listing made elsewhere while it is fresh enough (a failed one too), and asks the provider once it is older', async () => {
    const clock = { t: T0, now() { return this.t; } };
    const state = { instances: [pod({})], fail: false };
    let calls = 0;
    const provider = fakeProvider(state);
    const list = provider.listInstances.bind(provider);
    provider.listInstances = async (o) => (calls++, list(o));
    let recent: RecentListing | undefined;
    const tracker = new CostTracker(new CostLedger(memoryStore(), soleWriter, silentLogger), {
      providers: async () => [provider],
      sshHosts: () => [],
      stoppedDiskMicrosPerHour: () => undefined,
      recentListing: async () => recent,
    }, clock, silentLogger, { reuseListingMs: 90_000 });
    await tracker.tick();
    expect(calls).toBe(1); // nothing listed elsewhere yet
    // The tree listed 90 s ago, with the pod stopped: that list is used, no call of its own.
    clock.t += H;
    recent = { at: clock.t - 90_000, ok: true, instances: [pod({ state: 'stopped', providerStatus: 'EXITED', priceMicrosPerHour: 0 })] };
    await tracker.tick();
    expect(calls).toBe(1);
    expect(tracker.summary(0).burnMicrosPerHour).toBe(0);
    // A failed listing that fresh stands too: the pod keeps its last rate, and the provider is not asked again.
    recent = { at: clock.t - 1_000, ok: false, error: new RemoteGpuError('rateLimited', 'Too many requests.') };
    await tracker.tick();
    expect(calls).toBe(1);
    // One millisecond too old: asked again (running once more).
    recent = { at: clock.t - 90_001, ok: true, instances: [] };
    await tracker.tick();
    expect(calls).toBe(2);
    expect(tracker.summary(0).burnMicrosPerHour).toBe(2_690_000);
  });

  it('a restart after VS Code was closed splits the night at the times the provider gives: stop, then start', async () => {
    const clock = { t: T0, now() { return this.t; } };
    const state = { instances: [pod({ stateSince: T0 - H })], fail: false };
    const store = memoryStore();
    const sources = { providers: async () => [fakeProvider(state)], sshHosts: () => [], stoppedDiskMicrosPerHour: () => 10_000 };
    const first = new CostTracker(new CostLedger(store, soleWriter, silentLogger), sources, clock, silentLogger);
    await first.tick();
    // VS Code closes at T0. The pod is stopped at T0+1h (the watchdog) and started again at T0+5h (the console).
    clock.t = T0 + 4 * H;
    state.instances = [pod({ state: 'stopped', providerStatus: 'EXITED', priceMicrosPerHour: 0, stateSince: T0 + H })];
    // A new window reads the same file from its start.
    const second = new CostTracker(new CostLedger(memoryStore(store.lines), soleWriter, silentLogger), sources, clock, silentLogger);
    await second.tick();
    expect(second.summary(0).instances[0]?.totalMicros).toBe(3 * 2_690_000 + 3 * 10_000);
    clock.t = T0 + 7 * H;
    state.instances = [pod({ stateSince: T0 + 5 * H })];
    const third = new CostTracker(new CostLedger(memoryStore(store.lines), soleWriter, silentLogger), sources, clock, silentLogger);
    await third.tick();
    // Two hours before VS Code first saw it and one after, running; four stopped; two running since the start.
    expect(third.summary(0).instances[0]?.totalMicros).toBe(5 * 2_690_000 + 4 * 10_000);
    expect(store.lines.every((l) => (JSON.parse(l) as { v: number }).v === 1)).toBe(true);
  });

  it('never reuses a listing without a reuse window', async () => {
    const state = { instances: [pod({})], fail: false };
    let calls = 0;
    const provider = fakeProvider(state);
    const list = provider.listInstances.bind(provider);
    provider.listInstances = async (o) => (calls++, list(o));
    const tracker = new CostTracker(new CostLedger(memoryStore(), soleWriter, silentLogger), {
      providers: async () => [provider],
      sshHosts: () => [],
      stoppedDiskMicrosPerHour: () => undefined,
      recentListing: async () => ({ at: T0, ok: true, instances: [] }),
    }, { now: () => T0 }, silentLogger);
    await tracker.tick();
    expect(calls).toBe(1);
    expect(reuseListingMs(60_000)).toBe(90_000);
  });
});
