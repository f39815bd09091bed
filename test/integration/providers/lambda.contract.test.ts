import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderHttpError } from '../../../src/core/http/httpError';
import { isReadyForSsh, waitForInstance } from '../../../src/core/providers/waitForInstance';
import { isRestartable, isSshKeyManager, isStoppable } from '../../../src/core/providers/provider';
import { noRetry } from '../../../src/core/providers/retryPolicy';
import { LambdaProvider } from '../../../src/providers/lambda/provider';
import { startLambdaFake } from '../../fakes/lambdaFake.mjs';
import { startSshd, type SshdRig } from '../../rig/sshd.mjs';
import { depsFor, recordingSleep, rejectionOf, sshBanner, virtualTime } from './harness';

type Fake = Awaited<ReturnType<typeof startLambdaFake>>;

describe('Lambda Cloud client against the fake Lambda API', () => {
  let sshd: SshdRig;
  let fake: Fake;
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

  async function start(opts: Parameters<typeof startLambdaFake>[0] = {}): Promise<Fake> {
    time = virtualTime();
    fake = await startLambdaFake({ sshEndpoint: { host: sshd.host, port: sshd.port }, timings: { bootMs: 90_000, terminateMs: 30_000 }, now: time.now, ...opts });
    return fake;
  }

  function provider(overrides: Parameters<typeof depsFor>[1] & { apiKey?: string } = {}): LambdaProvider {
    return new LambdaProvider(depsFor(overrides.apiKey ?? fake.apiKey, overrides), { baseUrl: fake.baseUrl, ssh: { port: fake.sshPort } });
  }

  const waitOptions = () => ({ clock: time.clock, sleep: time.sleep, intervalMs: 5_000, timeoutMs: 600_000, until: isReadyForSsh });

  it('states its capabilities as data, and its methods agree: no stop, restart, SSH keys', async () => {
    await start();
    const p = provider();
    expect(p.capabilities).toMatchObject({ canStop: false, canRestart: true, sshKeys: 'perLaunch' });
    expect(isStoppable(p)).toBe(false);
    expect(isRestartable(p)).toBe(true);
    expect(isSshKeyManager(p)).toBe(true);
  });

  it('lists offers per region with integer micro-dollar prices; a sold-out type stays listed, unavailable', async () => {
    await start();
    const offers = await provider().listOffers();
    expect(offers).toContainEqual(expect.objectContaining({ id: 'gpu_1x_a10@us-west-1', gpuModel: 'A10', gpuCount: 1, vramGiB: 24, available: true, priceMicrosPerHour: 860_000, canStop: false }));
    expect(offers).toContainEqual(expect.objectContaining({ id: 'gpu_1x_h100_pcie', available: false, priceMicrosPerHour: 2_490_000 }));
    expect(offers.find((o) => o.id === 'gpu_8x_h100_sxm5@us-south-2')).toMatchObject({ gpuCount: 8, priceMicrosPerHour: 23_920_000 });
  });

  it('provisions, polls through booting until running with an SSH endpoint that really answers SSH', async () => {
    await start();
    const p = provider();
    const seen: string[] = [];
    const { instanceId } = await p.provision({ offerId: 'gpu_1x_a10@us-west-1', name: 'contract-1', sshKeyName: 'gpu-ext-3f9a1c2b7d4e5f60' });
    expect((await p.getInstance(instanceId)).ssh).toBeUndefined();
    const ready = await waitForInstance(p, instanceId, { ...waitOptions(), onChange: (i) => seen.push(i.state) });
    expect(seen).toEqual(['booting', 'running']);
    expect(ready).toMatchObject({ name: 'contract-1', state: 'running', gpuModel: 'A10', region: 'us-west-1', ssh: { host: sshd.host, port: sshd.port, user: 'ubuntu' } });
    expect(await sshBanner(ready.ssh?.host ?? '', ready.ssh?.port ?? 0)).toMatch(/^SSH-2\.0-OpenSSH/);
    expect((await p.listInstances()).map((i) => i.id)).toContain(instanceId);
  });

  it('terminates idempotently: twice while terminating, and again once gone', async () => {
    await start();
    const p = provider();
    const { instanceId } = await p.provision({ offerId: 'gpu_1x_a10@us-east-1', name: 'bye', sshKeyName: 'gpu-ext-3f9a1c2b7d4e5f60' });
    await p.terminate(instanceId);
    await p.terminate(instanceId);
    expect((await p.getInstance(instanceId)).state).toBe('terminating');
    time.advance(30_000);
    await p.terminate(instanceId);
    expect((await rejectionOf(p.getInstance(instanceId))).reason).toBe('notFound');
  });

  it('refuses a wrong key with reason auth and a message that never contains the key', async () => {
    await start();
    const e = await rejectionOf(provider({ apiKey: 'wrong-secret-key' }).listOffers());
    expect(e.reason).toBe('auth');
    expect(e).toBeInstanceOf(ProviderHttpError);
    expect((e as ProviderHttpError).info.providerCode).toBe('global/invalid-api-key');
    expect(`${e.message} ${e.detail}`).not.toContain('wrong-secret-key');
  });

  it('reports capacity from the provider code when a type sold out since the offer was listed', async () => {
    await start({ soldOut: ['gpu_1x_a10'] });
    const e = await rejectionOf(provider().provision({ offerId: 'gpu_1x_a10@us-west-1', name: 'x', sshKeyName: 'gpu-ext-3f9a1c2b7d4e5f60' }));
    expect(e.reason).toBe('capacity');
    expect(fake.state.launches).toBe(1);
  });

  it('waits out a 429 Retry-After on a GET and then succeeds; without retries it reports rateLimited', async () => {
    await start();
    fake.state.injections.push({ method: 'GET', path: '/api/v1/instances', status: 429, headers: { 'retry-after': '3' } });
    const rec = recordingSleep();
    expect(await provider({ sleep: rec.sleep }).listInstances()).toEqual([]);
    expect(rec.waits).toEqual([3_000]);

    fake.state.rateLimit = {};
    const e = await rejectionOf(provider({ retry: noRetry }).listInstances());
    expect(e.reason).toBe('rateLimited');
    expect((e as ProviderHttpError).info.retryAfterMs).toBeUndefined();
  });

  it('backs off with jitter when a 429 or 5xx carries no Retry-After', async () => {
    await start();
    fake.state.injections.push({ path: '/api/v1/instance-types', status: 429, body: '' }, { path: '/api/v1/instance-types', status: 503, body: '' });
    const rec = recordingSleep();
    expect((await provider({ sleep: rec.sleep }).listOffers()).length).toBeGreaterThan(0);
    // random() = 0.5 of the ceiling, which starts at 500 ms and doubles (defaultRetryPolicy): 250 ms, then 500 ms.
    expect(rec.waits).toEqual([250, 500]);
  });

  it('never sends a launch twice: 429 and 503 on launch are reported after one request', async () => {
    await start();
    const p = provider({ sleep: recordingSleep().sleep });
    const launch = () => p.provision({ offerId: 'gpu_1x_a10@us-west-1', name: 'once', sshKeyName: 'gpu-ext-3f9a1c2b7d4e5f60' });
    fake.state.injections.push({ path: '/api/v1/instance-operations/launch', status: 429, headers: { 'retry-after': '1' } });
    expect((await rejectionOf(launch())).reason).toBe('rateLimited');
    fake.state.injections.push({ path: '/api/v1/instance-operations/launch', status: 503, body: { error: { code: 'provider/internal-unavailable', message: 'x' } } });
    expect((await rejectionOf(launch())).reason).toBe('unavailable');
    expect(fake.state.requests.filter((r) => r.path.endsWith('/launch'))).toHaveLength(2);
  });

  it('turns a malformed body into invalidResponse naming the field', async () => {
    await start();
    const bad = { data: { gpu_1x_a10: { instance_type: { name: 'gpu_1x_a10', description: 'd', gpu_description: 'A10', price_cents_per_hour: '86', specs: { vcpus: 1, memory_gib: 1, storage_gib: 1, gpus: 1 } }, regions_with_capacity_available: [] } } };
    fake.state.injections.push({ path: '/api/v1/instance-types', status: 200, body: bad });
    const e = await rejectionOf(provider().listOffers());
    expect(e.reason).toBe('invalidResponse');
    expect(e.message).toContain('data.gpu_1x_a10.instance_type.price_cents_per_hour');
    fake.state.injections.push({ path: '/api/v1/instances', status: 200, body: '<html>proxy error</html>' });
    expect((await rejectionOf(provider().listInstances())).reason).toBe('invalidResponse');
  });

  it('times out a stalled request and cancels on abort', async () => {
    await start();
    fake.state.injections.push({ path: '/api/v1/instances', delayMs: 3_000 });
    expect((await rejectionOf(provider({ timeoutMs: 150 }).listInstances())).reason).toBe('timeout');
    fake.state.injections.push({ path: '/api/v1/instances', delayMs: 3_000 });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    expect((await rejectionOf(provider().listInstances({ signal: abort.signal }))).reason).toBe('cancelled');
  });

  it('lists SSH keys and uploads a key once (the same key material is reused, not duplicated)', async () => {
    await start();
    const p = provider();
    const before = await p.listSshKeys();
    const pub = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIContractTestKeyMaterial000000000000000000 me@laptop';
    const added = await p.uploadSshKey({ name: 'contract-key', publicKey: pub });
    const again = await p.uploadSshKey({ name: 'other-name', publicKey: pub.replace('me@laptop', 'renamed') });
    expect(again.id).toBe(added.id);
    expect(await p.listSshKeys()).toHaveLength(before.length + 1);
  });

  it('refuses to launch without an SSH key or on a sold-out offer, before any request', async () => {
    await start();
    const p = provider();
    expect((await rejectionOf(p.provision({ offerId: 'gpu_1x_a10@us-west-1', name: 'x' }))).reason).toBe('config');
    expect((await rejectionOf(p.provision({ offerId: 'gpu_1x_h100_pcie', name: 'x', sshKeyName: 'k' }))).reason).toBe('capacity');
    expect(fake.state.requests).toHaveLength(0);
  });
});
