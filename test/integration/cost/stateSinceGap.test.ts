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
import { VastProvider } from '../../../src/providers/vast/provider';
import { buildCostReport, LEDGER_FILE } from '../../../src/remote/cost/costReport';
import { startEc2Fake } from '../../fakes/ec2Fake.mjs';
import { startRunPodFake } from '../../fakes/runpodFake.mjs';
import { startVastFake } from '../../fakes/vastFake.mjs';
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
  it('Vast: a start while closed bills from now minus uptime_mins; a stop Vast cannot date keeps the running rate', async () => {
    const time = virtualTime();
    // Six-second phases: the start lands on Vast's tenth-of-a-minute uptime grid, so the date is exact.
    const fake = await startVastFake({ timings: { provisionMs: 6_000, bootMs: 6_000, stopMs: 6_000, scheduleMs: 6_000 }, now: time.now });
    stops.push(fake.stop);
    const p = new VastProvider({ ...depsFor(fake.apiKey), clock: time.clock, sleep: time.sleep }, { endpoint: fake.url });
    const dir = await ledgerDir();
    const open = opener(dir, p, time);
    const t0 = time.now();
    const { instanceId } = await p.provision({ offerId: '21874512', name: 'night' }); // RTX 4090, $0.4111/h, disk $0.0111/h
    time.advance(H);
    expect((await open()).totalMicros).toBe(411_100); // an hour from start_date

    time.advance(H);
    await p.stop(instanceId); // closed: stopped at t0+2h; Vast's body has no time for it
    time.advance(3 * H);
    expect((await open()).totalMicros).toBe(5 * 411_100); // opened at t0+5h: the last known (running) rate

    time.advance(2 * H);
    await p.start(instanceId); // closed again: scheduling, loading, running 12 s later
    const startedAt = time.now() + 12_000;
    time.advance(2 * H);
    const seen = await p.getInstance(instanceId);
    expect(seen.stateSince).toBe(startedAt); // uptime_mins 119.8, back from our clock
    const report = await open(); // opened at t0+9h
    // Stopped (the disk) until the start, running after; without the date the whole gap was billed as stopped.
    expect(report.totalMicros).toBe(5 * 411_100 + costOf(11_100, startedAt - (t0 + 5 * H)) + costOf(411_100, t0 + 9 * H - startedAt));
    const own = parseLedger(await readFile(join(dir, LEDGER_FILE), 'utf8')).entries.filter((e) => e.key === `vast:${instanceId}`);
    expect(own.map((e) => [e.from - t0, e.to - t0, e.rate])).toEqual([
      [0, H, 411_100],
      [H, 5 * H, 411_100],
      [5 * H, startedAt - t0, 11_100],
      [startedAt - t0, 9 * H, 411_100],
    ]);
  });

  it('EC2: terminated while closed bills until its StateTransitionReason time while Describe keeps it, else until last seen; the list never shows it', async () => {
    const time = virtualTime();
    const fake = await startEc2Fake({ timings: { bootMs: 1000, terminateMs: 1000, goneMs: H }, now: time.now });
    stops.push(fake.stop);
    const { accessKeyId, secretAccessKey } = fake.credentials;
    const p = new Ec2Provider({ ...depsFor(`${accessKeyId}:${secretAccessKey}`), clock: time.clock, sleep: time.sleep }, { region: 'us-east-1', endpoint: fake.url, pricingEndpoint: fake.url, imageId: 'ami-0abcdef1234567890' });
    const dir = await ledgerDir();
    const open = opener(dir, p, time);
    const t0 = time.now();
    const offerId = ec2OfferId('us-east-1', 'g5.xlarge', 'on-demand');
    const a = (await p.provision({ offerId, name: 'a', sshKeyName: 'gpu-ext-key' })).instanceId;
    const b = (await p.provision({ offerId, name: 'b', sshKeyName: 'gpu-ext-key' })).instanceId;
    time.advance(H);
    expect((await open()).totalMicros).toBe(2 * 1_006_000);

    time.advance(H);
    await p.terminate(a); // closed: "User initiated (<t0+2h> GMT)"
    time.advance(H / 2);
    expect((await p.listInstances()).map((i) => i.id)).toEqual([b]); // the tree's list: terminated ones filtered out
    // The ledger's total for one instance: its lines' cost, as the book folds them (contiguous, never overlapping).
    const billed = async (id: string) => parseLedger(await readFile(join(dir, LEDGER_FILE), 'utf8')).entries.filter((e) => e.key === `ec2:${id}`).reduce((sum, e) => sum + costOf(e.rate, e.to - e.from), 0);
    await open(); // opened at t0+2.5h, a still in Describe as terminated
    expect(await billed(a)).toBe(2 * 1_006_000); // not 2.5 hours

    time.advance(H / 2);
    await p.terminate(b); // closed: terminated at t0+3h, gone from Describe an hour later
    time.advance(3 * H);
    const later = await open(); // opened at t0+6h: no end time left to learn, so until b was last seen (t0+2.5h)
    expect(await billed(b)).toBe(2.5 * 1_006_000);
    expect(later.totalMicros).toBe(4.5 * 1_006_000);
    const lines = parseLedger(await readFile(join(dir, LEDGER_FILE), 'utf8')).entries;
    expect(lines.filter((e) => e.key === `ec2:${a}`).map((e) => [e.from - t0, e.to - t0, e.rate, e.rateAfter])).toEqual([
      [0, H, 1_006_000, 1_006_000],
      [H, 2 * H, 1_006_000, 0],
      [2 * H, 2.5 * H, 0, 0],
    ]);
    expect(lines.filter((e) => e.key === `ec2:${b}`).map((e) => [e.from - t0, e.to - t0, e.rate, e.rateAfter]).at(-1)).toEqual([2.5 * H, 2.5 * H, 1_006_000, 0]);
  });
});
