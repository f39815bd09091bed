import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger';
import { isReadyForSsh, waitForInstance } from '../../../src/core/providers/waitForInstance';
import { buildCostReport, LEDGER_FILE } from '../../../src/remote/cost/costReport';
import { RunPodProvider } from '../../../src/providers/runpod/provider';
import { runpodOfferId } from '../../../src/providers/runpod/mapping';
import { startRunPodFake } from '../../fakes/runpodFake.mjs';
import { depsFor, virtualTime } from '../providers/harness';

const H = 3_600_000;

describe('Export Cost Report against the RunPod fake (real HTTP, real ledger file)', () => {
  let fake: Awaited<ReturnType<typeof startRunPodFake>>;
  let dir: string;
  const time = virtualTime();

  beforeAll(async () => {
    fake = await startRunPodFake({ sshEndpoint: { host: '127.0.0.1', port: 22 }, timings: { provisionMs: 1000, bootMs: 1000 }, now: time.now });
    dir = await mkdtemp(join(tmpdir(), 'rgpu-report-'));
  });
  afterAll(async () => {
    await fake?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts a pod from its launch, stops counting compute when it stops, and a second export counts nothing twice', async () => {
    const p = new RunPodProvider({ ...depsFor(fake.apiKey), clock: time.clock, sleep: time.sleep }, { endpoint: fake.url });
    const { instanceId } = await p.provision({ offerId: runpodOfferId('SECURE', 'NVIDIA GeForce RTX 4090', 'US-KS-2'), name: 'night, "run" =1' });
    const launched = time.now();
    await waitForInstance(p, instanceId, { clock: time.clock, sleep: time.sleep, intervalMs: 1000, timeoutMs: 60_000, until: isReadyForSsh });
    time.advance(3 * H - (time.now() - launched)); // VS Code was closed: three hours since launch
    const deps = { storageDir: dir, providers: async () => [p], clock: time.clock, logger: silentLogger, offsetMinutes: 0 };
    const first = await buildCostReport(deps);
    expect(first.role).toBe('writer');
    expect(first.totalMicros).toBe(3 * 690_000);
    expect(first.csv).toContain(`,"night, ""run"" =1",runpod:${instanceId},3.0000,2.070000\r\n`);

    // The stop is seen at once (the wired extension runs a round after its own lifecycle commands).
    await p.stop(instanceId);
    await buildCostReport(deps);
    time.advance(2 * H); // stopped: RunPod reports 0 and no disk estimate is set, so nothing accrues
    const second = await buildCostReport(deps);
    const third = await buildCostReport(deps);
    expect(second.totalMicros).toBe(3 * 690_000);
    expect(third.totalMicros).toBe(second.totalMicros);
    expect(third.csv).toBe(second.csv);
    const lines = (await readFile(join(dir, LEDGER_FILE), 'utf8')).trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(4);
  });

  it('an SSH host with a price bills from first sight; the same ledger dir keeps both', async () => {
    const deps = { storageDir: dir, providers: async () => [], sshHosts: async () => [{ id: 'lab', label: 'lab box', microsPerHour: 1_500_000 }], clock: time.clock, logger: silentLogger, offsetMinutes: 0 };
    const before = await buildCostReport(deps);
    time.advance(2 * H);
    const after = await buildCostReport(deps);
    expect(after.totalMicros - before.totalMicros).toBe(3_000_000);
    expect(after.csv).toContain(',ssh,lab box,ssh:lab,2.0000,3.000000\r\n');
  });
});
