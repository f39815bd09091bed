import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isRestartable, isSshKeyManager, isStoppable } from '../../../src/core/providers/provider';
import { noRetry } from '../../../src/core/providers/retryPolicy';
import { isReadyForSsh, waitForInstance } from '../../../src/core/providers/waitForInstance';
import { ec2OfferId } from '../../../src/providers/awsEc2/mapping';
import { Ec2Provider, type Ec2Options } from '../../../src/providers/awsEc2/provider';
import { startEc2Fake, type Ec2Fake } from '../../fakes/ec2Fake.mjs';
import { startSshd, type SshdRig } from '../../rig/sshd.mjs';
import { depsFor, recordingSleep, rejectionOf, sshBanner, virtualTime } from './harness';

const G5 = ec2OfferId('us-east-1', 'g5.xlarge', 'on-demand');
const G5_SPOT = ec2OfferId('us-east-1', 'g5.xlarge', 'spot');
const AMI = 'ami-0abcdef1234567890';
const KEY = 'gpu-ext-key';

describe('EC2 client (AWS SDK over the HTTP port) against the fake EC2 Query + Pricing JSON APIs', () => {
  let sshd: SshdRig;
  let fake: Ec2Fake;
  let time: ReturnType<typeof virtualTime>;

  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });
  afterEach(async () => {
    await fake?.stop();
  });

  async function start(opts: Parameters<typeof startEc2Fake>[0] = {}): Promise<Ec2Fake> {
    time = virtualTime();
    fake = await startEc2Fake({ sshEndpoint: { host: sshd.host, port: sshd.port }, timings: { bootMs: 45_000, stopMs: 30_000, terminateMs: 20_000 }, now: time.now, ...opts });
    return fake;
  }

  function provider(overrides: Parameters<typeof depsFor>[1] & { secret?: string; options?: Partial<Ec2Options> } = {}): Ec2Provider {
    const { accessKeyId, secretAccessKey } = fake.credentials;
    const deps = { ...depsFor(`${accessKeyId}:${overrides.secret ?? secretAccessKey}`, overrides), clock: time.clock };
    return new Ec2Provider(deps, { region: 'us-east-1', endpoint: fake.url, pricingEndpoint: fake.url, imageId: AMI, sshPort: sshd.port, ...overrides.options });
  }

  const waitOptions = () => ({ clock: time.clock, sleep: time.sleep, intervalMs: 5_000, timeoutMs: 600_000, until: isReadyForSsh });

  it('states its capabilities as data: stop keeps billing EBS, spot offers cannot stop; no restart', async () => {
    await start();
    const p = provider();
    expect(p.capabilities).toMatchObject({ canStop: true, stopKeepsBilling: 'disk', hasSpot: true, sshKeys: 'perLaunch', canRestart: false });
    expect(isStoppable(p) && isSshKeyManager(p)).toBe(true);
    expect(isRestartable(p)).toBe(false);
  });

  it('lists GPU offers from offerings + instance types + Pricing GetProducts + spot history', async () => {
    await start();
    const offers = await provider().listOffers();
    expect(offers.map((o) => [o.id, o.gpuModel, o.gpuCount, o.vramGiB, o.priceMicrosPerHour, o.spotPriceMicrosPerHour, o.canStop])).toEqual([
      [ec2OfferId('us-east-1', 'g4dn.xlarge', 'on-demand'), 'T4', 1, 16, 526_000, 215_000, true],
      [ec2OfferId('us-east-1', 'g4dn.xlarge', 'spot'), 'T4', 1, 16, 215_000, 215_000, false],
      [G5, 'A10G', 1, 24, 1_006_000, 398_700, true],
      [G5_SPOT, 'A10G', 1, 24, 398_700, 398_700, false],
      [ec2OfferId('us-east-1', 'p5.48xlarge', 'on-demand'), 'H100', 8, 80, 98_320_000, undefined, true],
    ]);
    expect(offers[0]).toMatchObject({ region: 'us-east-1', regionName: 'US East (N. Virginia)', available: true, vcpus: 4, memoryGiB: 16 });
    expect(fake.state.actions).toEqual(expect.arrayContaining(['DescribeInstanceTypeOfferings', 'DescribeInstanceTypes', 'AWSPriceListService.GetProducts', 'DescribeSpotPriceHistory']));
  });

  it('launches, polls pending → running, and the public IP answers SSH as the AMI user', async () => {
    await start({ timings: { bootMs: 45_000, describeLagMs: 8_000 } });
    const p = provider();
    const seen: string[] = [];
    const { instanceId } = await p.provision({ offerId: G5, name: 'contract-ec2', sshKeyName: KEY, diskGiB: 200 });
    const ready = await waitForInstance(p, instanceId, { ...waitOptions(), onChange: (i) => seen.push(i.state) });
    // 'provisioning' is the eventual-consistency window where Describe does not know the new id yet.
    expect(seen).toEqual(['provisioning', 'booting', 'running']);
    expect(ready).toMatchObject({ name: 'contract-ec2', gpuModel: 'A10G', gpuCount: 1, priceMicrosPerHour: 1_006_000, region: 'us-east-1a', ssh: { host: sshd.host, port: sshd.port, user: 'ubuntu' } });
    expect(await sshBanner(sshd.host, ready.ssh?.port ?? 0)).toMatch(/^SSH-2\.0-OpenSSH/);
    expect((await p.listInstances()).map((i) => i.id)).toEqual([instanceId]);
  });

  it('stops and starts idempotently; a stopped instance bills no compute and has no endpoint', async () => {
    await start();
    const p = provider({ options: { sshUser: 'ec2-user' } });
    const { instanceId } = await p.provision({ offerId: G5, name: 'stopper', sshKeyName: KEY });
    expect((await waitForInstance(p, instanceId, waitOptions())).ssh?.user).toBe('ec2-user');
    await p.stop(instanceId);
    await p.stop(instanceId);
    const stopped = await waitForInstance(p, instanceId, { ...waitOptions(), until: (i) => i.state === 'stopped' });
    expect(stopped).toMatchObject({ providerStatus: 'stopped', priceMicrosPerHour: 0 });
    expect(stopped.ssh).toBeUndefined();
    await p.start(instanceId);
    await p.start(instanceId);
    expect(await waitForInstance(p, instanceId, waitOptions())).toMatchObject({ state: 'running' });
  });

  it('a one-time spot launches at the spot price and refuses to stop (UnsupportedOperation)', async () => {
    await start();
    const p = provider();
    const { instanceId } = await p.provision({ offerId: G5_SPOT, name: 'spot', sshKeyName: KEY });
    expect(await waitForInstance(p, instanceId, waitOptions())).toMatchObject({ priceMicrosPerHour: 398_700 });
    const e = await rejectionOf(p.stop(instanceId));
    expect(e.reason).toBe('remoteFailed');
    expect(e.detail).toContain('UnsupportedOperation');
  });

  it('terminates idempotently: shutting-down → terminated, then gone (NotFound) still succeeds', async () => {
    await start({ timings: { terminateMs: 20_000, goneMs: 60_000 } });
    const p = provider();
    const { instanceId } = await p.provision({ offerId: G5, name: 'bye', sshKeyName: KEY });
    await p.terminate(instanceId);
    await p.terminate(instanceId);
    expect((await p.getInstance(instanceId)).state).toBe('terminating');
    expect(await p.listInstances()).toHaveLength(1);
    time.advance(30_000);
    expect((await p.getInstance(instanceId)).state).toBe('terminated');
    expect(await p.listInstances()).toEqual([]);
    time.advance(120_000);
    await p.terminate(instanceId);
    expect((await rejectionOf(p.getInstance(instanceId))).reason).toBe('notFound');
  });

  it('follows DescribeInstances NextToken', async () => {
    await start({ pageSize: 2 });
    const p = provider();
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) ids.push((await p.provision({ offerId: G5, name, sshKeyName: KEY })).instanceId);
    expect((await p.listInstances()).map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(fake.state.actions.filter((a) => a === 'DescribeInstances')).toHaveLength(3);
  });

  it('refuses an unknown access key with reason auth (AuthFailure), without the secret in the message', async () => {
    await start();
    const { secretAccessKey } = fake.credentials;
    const deps = { ...depsFor(`AKIAWRONGWRONGWRONG0:${secretAccessKey}`), clock: time.clock };
    const p = new Ec2Provider(deps, { region: 'us-east-1', endpoint: fake.url, pricingEndpoint: fake.url });
    const e = await rejectionOf(p.listInstances());
    expect(e.reason).toBe('auth');
    expect(e.detail).toContain('AuthFailure');
    expect(`${e.message} ${e.detail}`).not.toContain(secretAccessKey);
  });

  it('reports InsufficientInstanceCapacity (HTTP 500) as capacity after one RunInstances', async () => {
    await start({ noCapacity: ['g5.xlarge'] });
    const e = await rejectionOf(provider({ sleep: recordingSleep().sleep }).provision({ offerId: G5, name: 'x', sshKeyName: KEY }));
    expect(e.reason).toBe('capacity');
    expect(fake.state.runs).toBe(1);
  });

  it('retries RequestLimitExceeded on reads with backoff; without retries reports rateLimited; Pricing throttling too', async () => {
    await start();
    fake.state.rateLimit = true;
    const rec = recordingSleep();
    const pending = provider({ sleep: async (ms, s) => { await rec.sleep(ms, s); if (rec.waits.length === 2) fake.state.rateLimit = false; } }).listInstances();
    expect(await pending).toEqual([]);
    expect(rec.waits).toEqual([250, 500]);
    fake.state.rateLimit = true;
    expect((await rejectionOf(provider({ retry: noRetry }).listInstances())).reason).toBe('rateLimited');
    const offers = await provider({ retry: noRetry }).listOffers().catch((e: unknown) => e);
    expect(offers).toMatchObject({ reason: 'rateLimited' });
  });

  it('never sends RunInstances twice: throttling, 503 and a timeout are reported after one request each', async () => {
    await start();
    const p = provider({ sleep: recordingSleep().sleep, timeoutMs: 300 });
    const launch = () => p.provision({ offerId: G5, name: 'once', sshKeyName: KEY });
    fake.state.raw.push({ action: 'RunInstances', status: 503, body: '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>x</RequestID></Response>' });
    expect((await rejectionOf(launch())).reason).toBe('rateLimited');
    fake.state.raw.push({ action: 'RunInstances', status: 503, body: '<Response><Errors><Error><Code>Unavailable</Code><Message>The server is overloaded.</Message></Error></Errors><RequestID>x</RequestID></Response>' });
    expect((await rejectionOf(launch())).reason).toBe('unavailable');
    fake.state.injections.push({ method: 'POST', path: '/', delayMs: 2_000 });
    expect((await rejectionOf(launch())).reason).toBe('timeout');
    // The stalled request never reached the handler (the client gave up first), so count what arrived on the wire.
    expect(fake.state.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
    expect(fake.state.runs).toBe(0);
  });

  it('turns XML the SDK cannot parse, and an instance without InstanceId, into invalidResponse', async () => {
    await start();
    const p = provider({ retry: noRetry });
    fake.state.raw.push({ action: 'DescribeInstances', status: 200, body: '<DescribeInstancesResponse><reservationSet><item>' });
    expect((await rejectionOf(p.listInstances())).reason).toBe('invalidResponse');
    const noId = `<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><reservationSet><item><instancesSet><item><instanceType>g5.xlarge</instanceType><instanceState><code>16</code><name>running</name></instanceState></item></instancesSet></item></reservationSet></DescribeInstancesResponse>`;
    fake.state.raw.push({ action: 'DescribeInstances', status: 200, body: noId });
    const e = await rejectionOf(p.listInstances());
    expect(e.reason).toBe('invalidResponse');
    expect(e.message).toContain('Reservations[0].Instances[0].InstanceId');
  });

  it('times out a stalled request and cancels on abort', async () => {
    await start();
    fake.state.injections.push({ method: 'POST', path: '/', delayMs: 3_000 });
    expect((await rejectionOf(provider({ timeoutMs: 150 }).listInstances())).reason).toBe('timeout');
    fake.state.injections.push({ method: 'POST', path: '/', delayMs: 3_000 });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    expect((await rejectionOf(provider().listInstances({ signal: abort.signal }))).reason).toBe('cancelled');
  });

  it('imports a key pair once (base64 blob on the wire), reuses same material, refuses a name clash', async () => {
    await start();
    const p = provider();
    const pub = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEc2ContractKey000000000000000000000000000000';
    const added = await p.uploadSshKey({ name: 'laptop', publicKey: pub });
    expect(added).toMatchObject({ name: 'laptop', publicKey: `${pub} laptop` });
    expect(fake.state.keyPairs.get('laptop')?.publicKey).toBe(`${pub} laptop`);
    expect(await p.uploadSshKey({ name: 'other', publicKey: `${pub} x` })).toMatchObject({ name: 'laptop' });
    const other = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEc2DifferentKey0000000000000000000000000000';
    expect((await rejectionOf(p.uploadSshKey({ name: 'laptop', publicKey: other }))).reason).toBe('config');
    expect((await p.listSshKeys()).map((k) => k.name)).toEqual(['gpu-ext-key', 'laptop']);
  });

  it('refuses to launch without an AMI or a key pair, before any request', async () => {
    await start();
    const p = provider({ options: { imageId: undefined } });
    expect((await rejectionOf(p.provision({ offerId: G5, name: 'x', sshKeyName: KEY }))).reason).toBe('config');
    expect((await rejectionOf(provider().provision({ offerId: G5, name: 'x' }))).reason).toBe('config');
    expect(fake.state.runs).toBe(0);
  });
});
