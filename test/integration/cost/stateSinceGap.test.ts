import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLedger } from '../../../src/core/cost/ledgerEntry';
import { costOf } from '../../../src/core/cost/rates';
import { silentLogger } from '../../../src/core/logger';
import type { CloudProvider } from '../../../src/core/providers/provider';
import { isReadyForSsh, waitForInstance } from '../../../src/core/providers/waitForInstance';
import { ec2OfferId } from '../../../src/providers/awsEc2/mapping';
import { Ec2Provider } from '../../../src/providers/awsEc2/provider';
import { runpodOfferId } from '../../../src/providers/runpod/mapping';
import { RunPodProvider } from '../../../src/providers/runpod/provider';
import { buildCostReport, LEDGER_FILE } from '../../../src/remote/cost/costReport';
import { startEc2Fake } from '../../fakes/ec2Fake.mjs';
import { startRunPodFake } from '../../fakes/runpodFake.mjs';
import { depsFor, virtualTime } from '../providers/harness';

// VS Code closed, then opened: each buildCostReport is one window's round over the real ledger file and lease, and the
// provider is asked over HTTP. Stops and starts in between go to the fake as the console would send them.

const H = 3_600_000;

describe('a gap with VS Code closed is split at the state change time the provider reports (fakes over HTTP)', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  async function ledgerDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'rgpu-gap-'));
    stops.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  function opener(dir: string, p: CloudProvider, time: ReturnType<typeof virtualTime>) {
    return () => buildCostReport({ storageDir: dir, providers: async () => [p], clock: time.clock, logger: silentLogger, offsetMinutes: 0 });
  }

  it('RunPod: a pod started while closed bills from its startedAt; a stop v2 cannot date keeps the running rate', async () => {
    const time = virtualTime();
    const fake = await startRunPodFake({ timings: { provisionMs: 1000, bootMs: 1000 }, now: time.now });
    stops.push(fake.stop);
    const p = new RunPodProvider({ ...depsFor(fake.apiKey), clock: time.clock, sleep: time.sleep }, { endpoint: fake.url });
    const dir = await ledgerDir();
    const open = opener(dir, p, time);
    const t0 = time.now();
    const { instanceId } = await p.provision({ offerId: runpodOfferId('SECURE', 'NVIDIA GeForce RTX 4090', 'US-KS-2'), name: 'night' });
    await waitForInstance(p, instanceId, { clock: time.clock, sleep: time.sleep, intervalMs: 500, timeoutMs: 60_000, until: isReadyForSsh });
    time.advance(t0 + H - time.now());
    expect((await open()).totalMicros).toBe(690_000); // an hour from its creation

    time.advance(H);
    await p.stop(instanceId); // closed: stopped from the console at t0+2h
    time.advance(3 * H);
    // Opened at t0+5h: an EXITED v2 pod has startedAt null, so the gap keeps the last known (running) rate.
    expect((await open()).totalMicros).toBe(5 * 690_000);

    time.advance(2 * H);
    await p.start(instanceId); // closed again: started at t0+7h, RUNNING a second later
    const startedAt = time.now() + 1000;
    time.advance(2 * H);
    const report = await open(); // opened at t0+9h
    // Stopped (nothing billed: no disk estimate here) until startedAt, running after; the old rule billed 0 for it all.
    expect(report.totalMicros).toBe(5 * 690_000 + costOf(690_000, t0 + 9 * H - startedAt));
    const own = parseLedger(await readFile(join(dir, LEDGER_FILE), 'utf8')).entries.filter((e) => e.key === `runpod:${instanceId}`);
    expect(own.map((e) => [e.from - t0, e.to - t0, e.rate])).toEqual([
      [0, H, 690_000],
      [H, 5 * H, 690_000],
      [5 * H, startedAt - t0, 0],
      [startedAt - t0, 9 * H, 690_000],
    ]);
  });

  it('EC2: a stop while closed bills until the StateTransitionReason time, a start from its new LaunchTime', async () => {
    const time = virtualTime();
    const fake = await startEc2Fake({ timings: { bootMs: 1000, stopMs: 1000 }, now: time.now });
    stops.push(fake.stop);
    const { accessKeyId, secretAccessKey } = fake.credentials;
    const p = new Ec2Provider({ ...depsFor(`${accessKeyId}:${secretAccessKey}`), clock: time.clock, sleep: time.sleep }, { region: 'us-east-1', endpoint: fake.url, pricingEndpoint: fake.url, imageId: 'ami-0abcdef1234567890' });
    const dir = await ledgerDir();
    const open = opener(dir, p, time);
    const t0 = time.now();
    const { instanceId } = await p.provision({ offerId: ec2OfferId('us-east-1', 'g5.xlarge', 'on-demand'), name: 'night', sshKeyName: 'gpu-ext-key' });
    time.advance(t0 + H - time.now());
    expect((await open()).totalMicros).toBe(1_006_000); // an hour from LaunchTime

    time.advance(H);
    await p.stop(instanceId); // closed: "User initiated (<t0+2h> GMT)"
    time.advance(4 * H);
    expect((await open()).totalMicros).toBe(2 * 1_006_000); // opened at t0+6h: not 6 hours

    time.advance(2 * H);
    await p.start(instanceId); // closed again: started at t0+8h, LaunchTime moves there
    time.advance(H);
    expect((await open()).totalMicros).toBe(3 * 1_006_000); // opened at t0+9h: only the hour since the start

    // The file holds plain v1 lines, contiguous per instance: nothing counted twice, no gap left out.
    const lines = parseLedger(await readFile(join(dir, LEDGER_FILE), 'utf8'));
    expect(lines.badLines).toBe(0);
    const own = lines.entries.filter((e) => e.key === `ec2:${instanceId}`);
    for (let i = 1; i < own.length; i++) expect(own[i]?.from).toBe(own[i - 1]?.to);
    expect(own.map((e) => [e.from - t0, e.to - t0, e.rate])).toEqual([
      [0, H, 1_006_000],
      [H, 2 * H, 1_006_000],
      [2 * H, 6 * H, 0],
      [6 * H, 8 * H, 0],
      [8 * H, 9 * H, 1_006_000],
    ]);
  });
});
