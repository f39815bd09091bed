import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderHttpError } from '../../../src/core/http/httpError';
import { isRestartable, isSshKeyManager, isStoppable } from '../../../src/core/providers/provider';
import { noRetry } from '../../../src/core/providers/retryPolicy';
import { isReadyForSsh, waitForInstance } from '../../../src/core/providers/waitForInstance';
import { RunPodProvider } from '../../../src/providers/runpod/provider';
import { runpodOfferId } from '../../../src/providers/runpod/mapping';
import { startRunPodFake } from '../../fakes/runpodFake.mjs';
import { startSshd, type SshdRig } from '../../rig/sshd.mjs';
import { depsFor, recordingSleep, rejectionOf, sshBanner, virtualTime } from './harness';

type Fake = Awaited<ReturnType<typeof startRunPodFake>>;

const RTX_4090_KS = runpodOfferId('SECURE', 'NVIDIA GeForce RTX 4090', 'US-KS-2');

describe('RunPod client against the fake RunPod API (REST v2 + GraphQL)', () => {
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

  async function start(opts: Parameters<typeof startRunPodFake>[0] = {}): Promise<Fake> {
    time = virtualTime();
    fake = await startRunPodFake({ sshEndpoint: { host: sshd.host, port: sshd.port }, timings: { provisionMs: 20_000, bootMs: 40_000 }, now: time.now, ...opts });
    return fake;
  }

  function provider(overrides: Parameters<typeof depsFor>[1] & { apiKey?: string } = {}): RunPodProvider {
    return new RunPodProvider(depsFor(overrides.apiKey ?? fake.apiKey, overrides), { endpoint: fake.url });
  }

  const waitOptions = () => ({ clock: time.clock, sleep: time.sleep, intervalMs: 5_000, timeoutMs: 600_000, until: isReadyForSsh });

  it('states its capabilities as data and implements stop/start, restart and SSH keys', async () => {
    await start();
    const p = provider();
    expect(p.capabilities).toMatchObject({ canStop: true, stopKeepsBilling: 'disk', gpuMayNotReturnOnStart: true, sshKeys: 'account' });
    expect(isStoppable(p) && isRestartable(p) && isSshKeyManager(p)).toBe(true);
  });

  it('lists offers per cloud and data centre with per-GPU prices, spot prices from GraphQL, sold-out types unavailable', async () => {
    await start();
    const offers = await provider().listOffers();
    expect(offers).toContainEqual(expect.objectContaining({ id: RTX_4090_KS, gpuModel: 'RTX 4090', vramGiB: 24, available: true, priceMicrosPerHour: 690_000, spotPriceMicrosPerHour: 290_000, maxGpuCount: 8, canStop: true }));
    expect(offers).toContainEqual(expect.objectContaining({ id: runpodOfferId('COMMUNITY', 'NVIDIA GeForce RTX 4090', 'EU-CZ-1'), priceMicrosPerHour: 340_000 }));
    expect(offers).toContainEqual(expect.objectContaining({ id: runpodOfferId('SECURE', 'NVIDIA H100 80GB HBM3'), available: false, priceMicrosPerHour: 2_690_000 }));
    expect(offers.filter((o) => o.instanceType === 'NVIDIA H100 80GB HBM3' && o.id.startsWith('COMMUNITY'))).toEqual([]);
  });

  it('still lists offers when the GraphQL spot query fails', async () => {
    await start();
    fake.state.injections.push({ path: '/graphql', status: 200, body: { errors: [{ message: 'boom' }], data: null } });
    const offers = await provider().listOffers();
    expect(offers.find((o) => o.id === RTX_4090_KS)?.spotPriceMicrosPerHour).toBeUndefined();
  });

  it('provisions, polls PROVISIONING → STARTING → RUNNING and gets ssh.direct, which really answers SSH', async () => {
    await start();
    const p = provider();
    const seen: string[] = [];
    const { instanceId } = await p.provision({ offerId: RTX_4090_KS, name: 'contract-pod', gpuCount: 2 });
    const ready = await waitForInstance(p, instanceId, { ...waitOptions(), onChange: (i) => seen.push(i.state) });
    expect(seen).toEqual(['provisioning', 'booting', 'running']);
    expect(ready).toMatchObject({ name: 'contract-pod', gpuModel: 'RTX 4090', gpuCount: 2, priceMicrosPerHour: 1_380_000, region: 'US-KS-2', ssh: { host: sshd.host, port: sshd.port, user: 'root' } });
    expect(await sshBanner(sshd.host, ready.ssh?.port ?? 0)).toMatch(/^SSH-2\.0-OpenSSH/);
  });

  it('stops and starts idempotently; a stopped pod bills nothing for compute and may come back with zero GPUs', async () => {
    await start({ zeroGpuOnStart: true });
    const p = provider();
    const { instanceId } = await p.provision({ offerId: RTX_4090_KS, name: 'stopper' });
    await waitForInstance(p, instanceId, waitOptions());
    await p.stop(instanceId);
    await p.stop(instanceId);
    const stopped = await p.getInstance(instanceId);
    expect(stopped).toMatchObject({ state: 'stopped', priceMicrosPerHour: 0 });
    expect(stopped.ssh).toBeUndefined();
    await p.start(instanceId);
    await p.start(instanceId);
    const back = await waitForInstance(p, instanceId, waitOptions());
    expect(back.gpuCount).toBe(0);
  });

  it('terminates idempotently (204, then 404 for the gone pod)', async () => {
    await start();
    const p = provider();
    const { instanceId } = await p.provision({ offerId: RTX_4090_KS, name: 'bye' });
    await p.terminate(instanceId);
    await p.terminate(instanceId);
    expect((await rejectionOf(p.getInstance(instanceId))).reason).toBe('notFound');
    expect(await p.listInstances()).toEqual([]);
  });

  it('refuses a wrong key with reason auth, without the key in the message', async () => {
    await start();
    const e = await rejectionOf(provider({ apiKey: 'rp-wrong-secret' }).listInstances());
    expect(e.reason).toBe('auth');
    expect(`${e.message} ${e.detail}`).not.toContain('rp-wrong-secret');
  });

  it('reports capacity when the GPU sold out since the offer was listed', async () => {
    await start({ soldOut: ['NVIDIA GeForce RTX 4090'] });
    const e = await rejectionOf(provider().provision({ offerId: RTX_4090_KS, name: 'x' }));
    expect(e.reason).toBe('capacity');
    expect(fake.state.creates).toBe(1);
  });

  it('waits out 429 + Retry-After on a GET and then succeeds; without retries it reports rateLimited with the delay', async () => {
    await start();
    fake.state.injections.push({ method: 'GET', path: '/v2/pods', status: 429, headers: { 'retry-after': '2' }, body: { title: 'Too Many Requests', status: 429 } });
    const rec = recordingSleep();
    expect(await provider({ sleep: rec.sleep }).listInstances()).toEqual([]);
    expect(rec.waits).toEqual([2_000]);
    fake.state.rateLimit = { retryAfter: '5' };
    const e = await rejectionOf(provider({ retry: noRetry }).listInstances());
    expect(e.reason).toBe('rateLimited');
    expect((e as ProviderHttpError).info.retryAfterMs).toBe(5_000);
  });

  it('never sends a create twice: 429, 502 and a timeout on create are reported after one request', async () => {
    await start();
    const p = provider({ sleep: recordingSleep().sleep, timeoutMs: 300 });
    const create = () => p.provision({ offerId: RTX_4090_KS, name: 'once' });
    fake.state.injections.push({ method: 'POST', path: '/v2/pods', status: 429, headers: { 'retry-after': '1' } });
    expect((await rejectionOf(create())).reason).toBe('rateLimited');
    fake.state.injections.push({ method: 'POST', path: '/v2/pods', status: 502, body: 'Bad Gateway' });
    expect((await rejectionOf(create())).reason).toBe('unavailable');
    fake.state.injections.push({ method: 'POST', path: '/v2/pods', delayMs: 2_000 });
    expect((await rejectionOf(create())).reason).toBe('timeout');
    // One request per call, the stalled one included: a timeout may hide a launched pod, so it is never resent.
    expect(fake.state.requests.filter((r) => r.method === 'POST' && r.path === '/v2/pods')).toHaveLength(3);
  });

  it('turns a malformed pod into invalidResponse naming the field, and survives the v1 list shape', async () => {
    await start();
    fake.state.injections.push({ path: '/v2/pods', status: 200, body: { pods: [{ id: 'a', status: 'RUNNING' }, { id: 'b', status: 'RUNNING', cost: 'cheap' }] } });
    const e = await rejectionOf(provider().listInstances());
    expect(e.reason).toBe('invalidResponse');
    expect(e.message).toContain('pods[1].cost');
    fake.state.injections.push({ path: '/v2/pods', status: 200, body: [{ id: 'v1pod', desiredStatus: 'RUNNING', costPerHr: '0.74', publicIp: '203.0.113.9', portMappings: { '22': 10341 } }] });
    expect(await provider().listInstances()).toEqual([expect.objectContaining({ id: 'v1pod', state: 'running', priceMicrosPerHour: 740_000, ssh: { host: '203.0.113.9', port: 10341, user: 'root' } })]);
  });

  it('times out a stalled request and cancels on abort', async () => {
    await start();
    fake.state.injections.push({ path: '/v2/pods', delayMs: 3_000 });
    expect((await rejectionOf(provider({ timeoutMs: 150 }).listInstances())).reason).toBe('timeout');
    fake.state.injections.push({ path: '/v2/pods', delayMs: 3_000 });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    expect((await rejectionOf(provider().listInstances({ signal: abort.signal }))).reason).toBe('cancelled');
  });

  it('adds an SSH key to the account set once, keeping the others (PUT replaces the whole set)', async () => {
    await start();
    const p = provider();
    const before = await p.listSshKeys();
    const pub = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIRunPodContractKey0000000000000000000000000';
    const added = await p.uploadSshKey({ name: 'contract', publicKey: pub });
    expect(added).toMatchObject({ name: 'contract', publicKey: `${pub} contract` });
    await p.uploadSshKey({ name: 'again', publicKey: `${pub} other-comment` });
    expect(fake.state.sshKeys).toEqual([...before.map((k) => k.publicKey), `${pub} contract`]);
  });

  it('refuses to create a pod no one could reach: no account SSH keys', async () => {
    await start();
    fake.state.sshKeys = [];
    expect((await rejectionOf(provider().provision({ offerId: RTX_4090_KS, name: 'x' }))).reason).toBe('config');
    expect(fake.state.creates).toBe(0);
  });
});
