import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isRestartable, isSshKeyManager, isStoppable } from '../../../src/core/providers/provider';
import { noRetry } from '../../../src/core/providers/retryPolicy';
import { isReadyForSsh, waitForInstance } from '../../../src/core/providers/waitForInstance';
import { VastProvider } from '../../../src/providers/vast/provider';
import { startVastFake } from '../../fakes/vastFake.mjs';
import { startSshd, type SshdRig } from '../../rig/sshd.mjs';
import { depsFor, recordingSleep, rejectionOf, sshBanner, virtualTime } from './harness';

type Fake = Awaited<ReturnType<typeof startVastFake>>;

const RTX_4090 = '21874512';
const H100_X8 = '21900321';

describe('Vast.ai client against the fake Vast API', () => {
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

  async function start(opts: Parameters<typeof startVastFake>[0] = {}): Promise<Fake> {
    time = virtualTime();
    fake = await startVastFake({ sshEndpoint: { host: sshd.host, port: sshd.port }, timings: { provisionMs: 30_000, bootMs: 60_000, stopMs: 10_000, scheduleMs: 20_000 }, now: time.now, ...opts });
    return fake;
  }

  function provider(overrides: Parameters<typeof depsFor>[1] & { apiKey?: string } = {}): VastProvider {
    return new VastProvider(depsFor(overrides.apiKey ?? fake.apiKey, overrides), { endpoint: fake.url });
  }

  const waitOptions = () => ({ clock: time.clock, sleep: time.sleep, intervalMs: 5_000, timeoutMs: 600_000, until: isReadyForSsh });

  it('states its capabilities as data: stop keeps billing the disk, the GPU may not come back; no restart', async () => {
    await start();
    const p = provider();
    expect(p.capabilities).toMatchObject({ canStop: true, stopKeepsBilling: 'disk', gpuMayNotReturnOnStart: true, canRestart: false, sshKeys: 'account' });
    expect(isStoppable(p) && isSshKeyManager(p)).toBe(true);
    expect(isRestartable(p)).toBe(false);
  });

  it('searches offers (POST /api/v0/bundles/) and prices the whole offer from dph_total, min_bid as spot', async () => {
    await start();
    const offers = await provider().listOffers();
    expect(offers).toEqual([
      expect.objectContaining({ id: RTX_4090, gpuModel: 'RTX 4090', gpuCount: 1, vramGiB: 24, region: 'Texas, US', available: true, priceMicrosPerHour: 411_100, spotPriceMicrosPerHour: 266_700, canStop: true }),
      expect.objectContaining({ id: H100_X8, gpuModel: 'H100 SXM', gpuCount: 8, vramGiB: 80, priceMicrosPerHour: 16_042_200, spotPriceMicrosPerHour: 9_600_000 }),
    ]);
    expect(fake.state.requests[0]).toMatchObject({ method: 'POST', path: '/api/v0/bundles/' });
  });

  it('provisions from an offer, polls (null) → loading → running, and the direct endpoint answers SSH', async () => {
    await start();
    const p = provider();
    const seen: string[] = [];
    const { instanceId } = await p.provision({ offerId: H100_X8, name: 'contract-vast' });
    const ready = await waitForInstance(p, instanceId, { ...waitOptions(), onChange: (i) => seen.push(i.state) });
    expect(seen).toEqual(['provisioning', 'booting', 'running']);
    expect(ready).toMatchObject({ name: 'contract-vast', gpuModel: 'H100 SXM', gpuCount: 8, priceMicrosPerHour: 16_042_200, region: 'Sweden, SE', ssh: { host: sshd.host, port: sshd.port, user: 'root' } });
    expect(await sshBanner(sshd.host, ready.ssh?.port ?? 0)).toMatch(/^SSH-2\.0-OpenSSH/);
    expect(fake.state.requests.map((r) => `${r.method} ${r.path}`)).toContain(`PUT /api/v0/asks/${H100_X8}/`);
  });

  it('uses the proxy endpoint (ssh_host:ssh_port) when 22/tcp is not mapped', async () => {
    await start({ sshMode: 'proxy' });
    const p = provider();
    const { instanceId } = await p.provision({ offerId: RTX_4090, name: 'proxied' });
    const ready = await waitForInstance(p, instanceId, waitOptions());
    expect(ready.ssh).toEqual({ host: sshd.host, port: sshd.port, user: 'root' });
  });

  it('stops and starts idempotently; stopped bills only storage; a start can sit waiting for the GPUs', async () => {
    await start();
    const p = provider();
    const { instanceId } = await p.provision({ offerId: RTX_4090, name: 'stopper' });
    await waitForInstance(p, instanceId, waitOptions());
    await p.stop(instanceId);
    await p.stop(instanceId);
    expect((await p.getInstance(instanceId)).state).toBe('stopping');
    const stopped = await waitForInstance(p, instanceId, { ...waitOptions(), until: (i) => i.state === 'stopped' });
    expect(stopped).toMatchObject({ priceMicrosPerHour: 11_100 });
    expect(stopped.ssh).toBeUndefined();
    await p.start(instanceId);
    await p.start(instanceId);
    expect(await waitForInstance(p, instanceId, waitOptions())).toMatchObject({ state: 'running' });
    await p.stop(instanceId);
    await waitForInstance(p, instanceId, { ...waitOptions(), until: (i) => i.state === 'stopped' });
    fake.state.gpusTakenOnStart = true;
    await p.start(instanceId);
    const e = await rejectionOf(waitForInstance(p, instanceId, { ...waitOptions(), timeoutMs: 60_000 }));
    expect(e.reason).toBe('timeout');
    expect((await p.getInstance(instanceId)).state).toBe('provisioning');
  });

  it('destroys idempotently: the second destroy meets no_such_instance and succeeds; get says notFound', async () => {
    await start();
    const p = provider();
    const { instanceId } = await p.provision({ offerId: RTX_4090, name: 'bye' });
    await p.terminate(instanceId);
    await p.terminate(instanceId);
    expect((await rejectionOf(p.getInstance(instanceId))).reason).toBe('notFound');
    expect(await p.listInstances()).toEqual([]);
  });

  it('follows /api/v1/instances/ keyset pagination (next_token → after_token)', async () => {
    await start({ maxPageSize: 2 });
    const p = provider();
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) ids.push((await p.provision({ offerId: RTX_4090, name })).instanceId);
    expect((await p.listInstances()).map((i) => i.id)).toEqual(ids);
    const pages = fake.state.requests.filter((r) => r.path === '/api/v1/instances/');
    expect(pages).toHaveLength(3);
  });

  it('refuses a wrong key with reason auth, without the key in the message', async () => {
    await start();
    const e = await rejectionOf(provider({ apiKey: 'vast-wrong-secret' }).listOffers());
    expect(e.reason).toBe('auth');
    expect(`${e.message} ${e.detail}`).not.toContain('vast-wrong-secret');
  });

  it('reports capacity when the offer was rented since the search (410 no_such_ask), after one request', async () => {
    await start({ soldOut: [Number(RTX_4090)] });
    const e = await rejectionOf(provider().provision({ offerId: RTX_4090, name: 'x' }));
    expect(e.reason).toBe('capacity');
    expect(fake.state.creates).toBe(1);
  });

  it('reads a plain-text 429 as rateLimited (never invalidResponse), backs off on GETs and succeeds', async () => {
    await start();
    fake.state.injections.push({ method: 'GET', status: 429, body: 'API requests too frequent endpoint threshold=1.0', times: 2 });
    const rec = recordingSleep();
    expect(await provider({ sleep: rec.sleep }).listInstances()).toEqual([]);
    // No Retry-After from Vast: full-jitter backoff, half the ceiling with the harness's fixed draw.
    expect(rec.waits).toEqual([250, 500]);
    fake.state.rateLimit = { format: 'text' };
    expect((await rejectionOf(provider({ retry: noRetry }).listInstances())).reason).toBe('rateLimited');
    fake.state.rateLimit = { format: 'json' };
    expect((await rejectionOf(provider({ retry: noRetry }).listOffers())).reason).toBe('rateLimited');
  });

  it('never sends a create twice: 429, 502 and a timeout on create are reported after one request each', async () => {
    await start();
    const p = provider({ sleep: recordingSleep().sleep, timeoutMs: 300 });
    const create = () => p.provision({ offerId: RTX_4090, name: 'once' });
    const path = `/api/v0/asks/${RTX_4090}/`;
    fake.state.injections.push({ method: 'PUT', path, status: 429, body: 'API requests too frequent endpoint threshold=1.0' });
    expect((await rejectionOf(create())).reason).toBe('rateLimited');
    fake.state.injections.push({ method: 'PUT', path, status: 502, body: 'Bad Gateway' });
    expect((await rejectionOf(create())).reason).toBe('unavailable');
    fake.state.injections.push({ method: 'PUT', path, delayMs: 2_000 });
    expect((await rejectionOf(create())).reason).toBe('timeout');
    expect(fake.state.requests.filter((r) => r.method === 'PUT' && r.path === path)).toHaveLength(3);
  });

  it('turns a malformed instance into invalidResponse naming the field', async () => {
    await start();
    fake.state.injections.push({ path: '/api/v1/instances/', status: 200, body: { next_token: null, instances: [{ id: 1, actual_status: 'running' }, { id: 2, dph_total: 'cheap' }] } });
    const e = await rejectionOf(provider().listInstances());
    expect(e.reason).toBe('invalidResponse');
    expect(e.message).toContain('instances[1].dph_total');
  });

  it('times out a stalled request and cancels on abort', async () => {
    await start();
    fake.state.injections.push({ path: '/api/v1/instances/', delayMs: 3_000 });
    expect((await rejectionOf(provider({ timeoutMs: 150 }).listInstances())).reason).toBe('timeout');
    fake.state.injections.push({ path: '/api/v1/instances/', delayMs: 3_000 });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    expect((await rejectionOf(provider().listInstances({ signal: abort.signal }))).reason).toBe('cancelled');
  });

  it('uploads an SSH key once (list says `key`, create says `public_key`); no key → no create', async () => {
    await start();
    const p = provider();
    const pub = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIVastContractKey00000000000000000000000000000';
    const added = await p.uploadSshKey({ name: 'contract', publicKey: pub });
    expect(added).toMatchObject({ name: 'contract', publicKey: `${pub} contract` });
    expect(await p.uploadSshKey({ name: 'again', publicKey: `${pub} other` })).toEqual(added);
    expect(fake.state.sshKeys).toHaveLength(2);
    fake.state.sshKeys = [];
    expect((await rejectionOf(p.provision({ offerId: RTX_4090, name: 'x' }))).reason).toBe('config');
    expect(fake.state.creates).toBe(0);
  });
});
