import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as vscode from 'vscode';
import { CostLedger } from '../../core/cost/costLedger';
import type { LedgerStore, WriterLease } from '../../core/cost/ledgerPorts';
import { silentLogger } from '../../core/logger';
import type { Instance } from '../../core/providers/instance';
import type { CloudProvider } from '../../core/providers/provider';
import { CostTracker, reuseListingMs, type CostSources } from '../../core/services/cost/costTracker';
import { CloudBranch } from '../tree/cloudBranch';
import { InstancePoller } from '../tree/instancePoller';
import type { TreeNode } from '../tree/nodes';

// The branch uses vscode only for l10n.t; the unit project has no VS Code.
vi.mock('vscode', () => ({ l10n: { t: (message: string) => message } }));

const MIN = 60_000;
/** What a list call takes: the tree's next poll is timed from the end of the last, so it drifts against the cost's minute. */
const LIST_MS = 700;
const caps = { canStop: true, stopKeepsBilling: 'disk', gpuMayNotReturnOnStart: true, canRestart: true, hasSpot: false, sshKeys: 'account', hostKeyFingerprints: false, terminateErasesDisk: true } as const;
const pod: Instance = { provider: 'runpod', id: 'p1', name: 'train', state: 'running', providerStatus: 'RUNNING', gpuModel: 'H100', gpuCount: 1, priceMicrosPerHour: 2_400_000, createdAt: 0 };

/** An in-process RunPod that notes the time of every list call. */
function countingProvider(calls: number[]): CloudProvider {
  return {
    id: 'runpod',
    displayName: 'RunPod',
    capabilities: caps,
    listInstances: async () => {
      calls.push(Date.now());
      await new Promise((r) => setTimeout(r, LIST_MS));
      return [{ ...pod, createdAt: Date.now() }];
    },
  } as unknown as CloudProvider;
}

function memoryStore(): LedgerStore {
  const lines: string[] = [];
  let read = 0;
  return { readNewLines: async () => lines.slice(read, (read = lines.length)), append: async (l) => void lines.push(...l) };
}
const soleWriter: WriterLease = { id: 'w', tryAcquire: async () => true, renew: async () => true, release: async () => undefined };

/**
 * The Instances view hidden with auto-stop on: the poller lists every provider once a minute; the cost loop ticks
 * every minute too, as CostFeature does (a round at start, then setInterval). `share` wires the tree's latest list
 * into the cost tracker as the extension does.
 */
function world(share: boolean, background: () => boolean = () => true) {
  const calls: number[] = [];
  const provider = countingProvider(calls);
  const branch = new CloudBranch({
    source: { all: async () => [{ id: 'runpod', displayName: 'RunPod', configured: true }], get: async () => provider },
    logger: silentLogger,
    visible: () => ['runpod'],
    hostOf: () => undefined,
    forgetHost: () => undefined,
    fire: () => undefined,
  });
  const view = { visible: false, onDidChangeVisibility: () => ({ dispose: () => undefined }) } as unknown as vscode.TreeView<TreeNode>;
  const poller = new InstancePoller(view, branch, { background });
  const sources: CostSources = {
    providers: async () => [provider],
    sshHosts: () => [],
    stoppedDiskMicrosPerHour: () => undefined,
    ...(share ? { recentListing: (id) => branch.latestListing(id) } : {}),
  };
  const tracker = new CostTracker(new CostLedger(memoryStore(), soleWriter, silentLogger), sources, { now: () => Date.now() }, silentLogger, { reuseListingMs: reuseListingMs(MIN) });
  void tracker.tick();
  const timer = setInterval(() => void tracker.tick(), MIN);
  const dispose = () => {
    poller.dispose();
    clearInterval(timer);
  };
  return { calls, tracker, dispose };
}

/** List calls per clock minute of the run. */
const perMinute = (calls: readonly number[], minutes: number): number[] =>
  Array.from({ length: minutes }, (_, m) => calls.filter((t) => t >= m * MIN && t < (m + 1) * MIN).length);

describe('one provider listing a minute for the tree and the cost tracker', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('the cost tracker reuses the hidden tree poll: the provider sees one list call per minute, not two', async () => {
    const w = world(true);
    await vi.advanceTimersByTimeAsync(30 * MIN);
    w.dispose();
    const counts = perMinute(w.calls, 30);
    expect(counts.every((n) => n <= 1), counts.join(' ')).toBe(true);
    expect(w.calls.length).toBeGreaterThanOrEqual(28);
    // The reused lists were billed: 30 min of a $2.40/h pod (the ledger counts from the first sight).
    expect(w.tracker.summary(0).todayMicros).toBeGreaterThan(1_150_000);
  });

  it('without the shared list the same minute asks twice (what this fixes)', async () => {
    const w = world(false);
    await vi.advanceTimersByTimeAsync(30 * MIN);
    w.dispose();
    expect(perMinute(w.calls, 30).filter((n) => n >= 2).length).toBeGreaterThanOrEqual(25);
  });

  it('once the tree stops polling (auto-stop off), the cost tracker lists for itself again, once a minute', async () => {
    let background = true;
    const w = world(true, () => background);
    await vi.advanceTimersByTimeAsync(10 * MIN);
    background = false;
    const before = w.calls.length;
    await vi.advanceTimersByTimeAsync(20 * MIN);
    w.dispose();
    const counts = perMinute(w.calls, 30);
    expect(counts.every((n) => n <= 1), counts.join(' ')).toBe(true);
    // The tree's last list is reused at most one round; every later round asks the provider itself.
    expect(w.calls.length - before).toBeGreaterThanOrEqual(18);
  });
});
