import { describe, expect, it } from 'vitest';
import { CostLedger } from '../../cost/costLedger';
import type { LedgerEntry } from '../../cost/ledgerEntry';
import type { LedgerStore, WriterLease } from '../../cost/ledgerPorts';
import { RemoteGpuError } from '../../errors';
import { silentLogger } from '../../logger';
import type { ProviderCapabilities } from '../../providers/capabilities';
import type { Instance } from '../../providers/instance';
import type { CloudProvider } from '../../providers/provider';
import { CostTracker } from './costTracker';
import { MAX_GONE_ASKED, MAX_GONE_TRIES } from './goneInstances';

// An instance that vanished from a successful listing (VS Code closed, or between rounds), on a virtual clock:
// the tracker asks the provider for it by id, and the ledger ends it at the provider's termination time when there is
// one, else when it was last seen.

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const RATE = 1_006_000;

function memoryStore(lines: string[] = []): LedgerStore & { lines: string[] } {
  let read = 0;
  return { lines, readNewLines: async () => lines.slice(read, (read = lines.length)), append: async (l) => void lines.push(...l) };
}
const soleWriter: WriterLease = { id: 'w', tryAcquire: async () => true, renew: async () => true, release: async () => undefined };
const caps: ProviderCapabilities = { canStop: true, stopKeepsBilling: 'disk', gpuMayNotReturnOnStart: false, canRestart: false, hasSpot: true, sshKeys: 'perLaunch', hostKeyFingerprints: false, terminateErasesDisk: true };

const vm = (id: string, over: Partial<Instance> = {}): Instance => ({
  provider: 'ec2', id, name: id, state: 'running', providerStatus: 'running', gpuModel: 'A10G', gpuCount: 1, priceMicrosPerHour: RATE, createdAt: T0, stateSince: T0, ...over,
});

/** An EC2-like provider: the listing hides terminated instances, getInstance still answers for them. */
function world() {
  const clock = { t: T0, now() { return this.t; } };
  const state = { listed: [] as Instance[], byId: new Map<string, Instance | Error>(), listFails: false, asked: [] as string[] };
  const provider: CloudProvider = {
    id: 'ec2', displayName: 'AWS EC2', capabilities: caps,
    listInstances: async () => {
      if (state.listFails) throw new RemoteGpuError('unavailable', 'EC2 is not answering.');
      return state.listed;
    },
    getInstance: async (id) => {
      state.asked.push(id);
      const found = state.byId.get(id);
      if (found instanceof Error) throw found;
      if (!found) throw new RemoteGpuError('notFound', `AWS EC2 does not know instance ${id}.`);
      return found;
    },
    listOffers: async () => [],
    provision: async () => { throw new Error('unused'); },
    terminate: async () => undefined,
  };
  const store = memoryStore();
  const tracker = new CostTracker(new CostLedger(store, soleWriter, silentLogger), { providers: async () => [provider], sshHosts: () => [], stoppedDiskMicrosPerHour: () => undefined }, clock, silentLogger);
  const lines = (key: string) => store.lines.map((l) => JSON.parse(l) as LedgerEntry).filter((e) => e.key === key).map((e) => [e.from - T0, e.to - T0, e.rate, e.rateAfter]);
  const total = (key: string) => tracker.summary(0).instances.find((i) => i.key === key)?.totalMicros;
  return { clock, state, tracker, lines, total };
}

describe('an instance gone from the listing', () => {
  it('terminated while VS Code was closed: billed until the termination time the provider still reports, asked once', async () => {
    const w = world();
    w.state.listed = [vm('i-1')];
    await w.tracker.tick();
    w.clock.t = T0 + H;
    await w.tracker.tick(); // last round before VS Code closes
    // Terminated from the console at T0+2h; EC2's listing (state filter) no longer shows it, Describe by id does.
    w.state.listed = [];
    w.state.byId.set('i-1', vm('i-1', { state: 'terminated', providerStatus: 'terminated', priceMicrosPerHour: 0, stateSince: T0 + 2 * H }));
    w.clock.t = T0 + 2 * H + 40 * 60_000;
    await w.tracker.tick();
    expect(w.state.asked).toEqual(['i-1']);
    expect(w.lines('ec2:i-1')).toEqual([
      [0, 0, RATE, RATE],
      [0, H, RATE, RATE],
      [H, 2 * H, RATE, 0],
      [2 * H, 2 * H + 40 * 60_000, 0, 0],
    ]);
    w.clock.t += 5 * H;
    await w.tracker.tick();
    expect(w.total('ec2:i-1')).toBe(2 * RATE);
    expect(w.state.asked).toEqual(['i-1']); // billing 0 now: not asked again
  });

  it('gone with no date (not found, still running elsewhere, terminated without a time): billed until it was last seen', async () => {
    const w = world();
    w.state.listed = [vm('a'), vm('b'), vm('c')];
    await w.tracker.tick();
    w.clock.t = T0 + H;
    await w.tracker.tick();
    w.state.listed = [];
    // a: not found at all; b: running but no longer ours to list (tag removed); c: terminated, the time unreadable.
    w.state.byId.set('b', vm('b'));
    w.state.byId.set('c', vm('c', { state: 'terminated', providerStatus: 'terminated', priceMicrosPerHour: 0, stateSince: undefined }));
    w.clock.t = T0 + 9 * H;
    await w.tracker.tick();
    for (const key of ['ec2:a', 'ec2:b', 'ec2:c']) {
      expect(w.lines(key).at(-1)).toEqual([H, H, RATE, 0]);
      expect(w.total(key)).toBe(RATE);
    }
  });

  it('a failed answer leaves it open (no line), the next round dates it; a failed listing asks nothing', async () => {
    const w = world();
    w.state.listed = [vm('i-1')];
    await w.tracker.tick();
    w.clock.t = T0 + H;
    w.state.listFails = true;
    await w.tracker.tick();
    expect(w.state.asked).toEqual([]);
    w.state.listFails = false;
    w.state.listed = [];
    w.state.byId.set('i-1', new RemoteGpuError('rateLimited', 'Too many requests.'));
    await w.tracker.tick();
    expect(w.lines('ec2:i-1')).toEqual([[0, 0, RATE, RATE]]); // still billing, not closed at its last sighting
    w.clock.t = T0 + H + 60_000;
    w.state.byId.set('i-1', vm('i-1', { state: 'terminated', providerStatus: 'terminated', priceMicrosPerHour: 0, stateSince: T0 + H / 2 }));
    await w.tracker.tick();
    expect(w.lines('ec2:i-1').slice(1)).toEqual([
      [0, H / 2, RATE, 0],
      [H / 2, H + 60_000, 0, 0],
    ]);
    expect(w.total('ec2:i-1')).toBe(RATE / 2);
  });

  it(`asks about at most ${MAX_GONE_ASKED} per provider and round; the others wait, open, for the next round`, async () => {
    const w = world();
    const ids = Array.from({ length: MAX_GONE_ASKED + 2 }, (_, n) => `i-${n}`);
    w.state.listed = ids.map((id) => vm(id));
    await w.tracker.tick();
    w.state.listed = [];
    for (const id of ids) w.state.byId.set(id, vm(id, { state: 'terminated', providerStatus: 'terminated', priceMicrosPerHour: 0, stateSince: T0 + H }));
    w.clock.t = T0 + 3 * H;
    await w.tracker.tick();
    expect(w.state.asked).toHaveLength(MAX_GONE_ASKED);
    w.clock.t += 60_000;
    await w.tracker.tick();
    expect(w.state.asked).toHaveLength(MAX_GONE_ASKED + 2);
    expect(new Set(w.state.asked)).toEqual(new Set(ids));
    for (const id of ids) expect(w.total(`ec2:${id}`)).toBe(RATE);
  });
  it(`an answer that will not improve ends it at its last sighting at once; a transient one after ${MAX_GONE_TRIES} rounds`, async () => {
    const w = world();
    w.state.listed = [vm('odd'), vm('slow')];
    await w.tracker.tick();
    w.clock.t = T0 + H;
    await w.tracker.tick();
    w.state.listed = [];
    w.state.byId.set('odd', new RemoteGpuError('invalidResponse', 'AWS EC2 sent an answer this version cannot read.'));
    w.state.byId.set('slow', new RemoteGpuError('timeout', 'AWS EC2 did not answer in time.'));
    for (let round = 1; round <= MAX_GONE_TRIES; round++) {
      w.clock.t = T0 + 2 * H + round * 60_000;
      await w.tracker.tick();
      expect(w.lines('ec2:odd').at(-1)).toEqual([H, H, RATE, 0]);
      // Open (still billing, no line) until the last try, then ended when it was last seen.
      expect(w.lines('ec2:slow').at(-1)).toEqual(round < MAX_GONE_TRIES ? [0, H, RATE, RATE] : [H, H, RATE, 0]);
    }
    expect(w.state.asked.filter((id) => id === 'odd')).toHaveLength(1);
    expect(w.state.asked.filter((id) => id === 'slow')).toHaveLength(MAX_GONE_TRIES);
    expect(w.total('ec2:slow')).toBe(RATE);
  });
  it('still listed as terminated without a date (a Vast record left unloaded): ended at its last sighting, nothing asked', async () => {
    const w = world();
    w.state.listed = [vm('v-1')];
    await w.tracker.tick();
    w.clock.t = T0 + H;
    await w.tracker.tick();
    w.state.listed = [vm('v-1', { state: 'terminated', providerStatus: 'unloaded', priceMicrosPerHour: 0, stateSince: undefined })];
    w.clock.t = T0 + 8 * H;
    await w.tracker.tick();
    expect(w.lines('ec2:v-1').at(-1)).toEqual([H, H, RATE, 0]);
    expect(w.total('ec2:v-1')).toBe(RATE);
    expect(w.state.asked).toEqual([]);
  });
});
