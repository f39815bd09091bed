import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWith } from '../../core/http/validate';
import { vastErrors } from './api';
import { parseVastOfferId, toVastInstance, toVastOffer, vastSsh, vastState, vastStateSince } from './mapping';
import { vastCreateResponse, vastCreateSshKeyResponse, vastGetInstanceResponse, vastInstancePage, vastOffersResponse, vastSshKeyList, type VastInstance } from './schemas';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../test/fixtures/providers/vast/${name}`, import.meta.url), 'utf8'));
const text = (name: string): string => readFileSync(new URL(`../../../test/fixtures/providers/vast/${name}`, import.meta.url), 'utf8');
/** Our clock when the fixtures' bodies arrived: an hour after the fixture's start_date (1755764512.41). */
const NOW = 1_755_768_112_410;
const get = (name: string) => parseWith(vastGetInstanceResponse, fixture(name), 'Vast.ai', 'instance').instances;

describe('Vast.ai parsers against the example bodies', () => {
  it('reads a running instance with a direct SSH port, its price and start date', () => {
    const i = get('get-instance.json');
    expect(i && toVastInstance(i, NOW)).toMatchObject({ id: '27451203', name: 'gpu-ext-dev-1', state: 'running', gpuModel: 'RTX 4090', gpuCount: 1, priceMicrosPerHour: 411_100, region: 'Texas, US', createdAt: 1_755_764_512_410, ssh: { host: '203.0.113.58', port: 41022, user: 'root' } });
  });

  it('reads a loading instance: booting, no endpoint yet', () => {
    const i = get('get-instance.loading.json');
    const mapped = i && toVastInstance(i, NOW);
    expect(mapped?.state).toBe('booting');
    expect(mapped?.ssh).toBeUndefined();
  });

  it('reads both list pages; a stopped instance bills storage only', () => {
    const page1 = parseWith(vastInstancePage, fixture('list-instances.v1.page1.json'), 'V', 'x');
    expect(page1.next_token).toBeTruthy();
    const all = parseWith(vastInstancePage, fixture('list-instances.v1.json'), 'V', 'x');
    expect(all.next_token).toBeNull();
    expect(all.instances.map((i) => toVastInstance(i, NOW)).map((i) => [i.state, i.priceMicrosPerHour, i.ssh === undefined])).toEqual([
      ['running', 411_100, false],
      ['stopped', 11_100, true],
    ]);
  });

  it('dates a running instance by uptime_mins back from our clock; the stopped and loading ones (uptime null) are not dated', () => {
    const all = parseWith(vastInstancePage, fixture('list-instances.v1.json'), 'V', 'x');
    // 46.2 minutes of uptime: started 46 min 12 s before the body arrived; the stopped one shares start_date, no date.
    expect(all.instances.map((i) => toVastInstance(i, NOW).stateSince)).toEqual([NOW - 2_772_000, undefined]);
    const loading = get('get-instance.loading.json');
    expect(loading && toVastInstance(loading, NOW).stateSince).toBeUndefined();
    expect(loading && toVastInstance(loading, NOW)).not.toHaveProperty('stateSince');
  });

  it('drops an uptime that is not a plausible number, and never fails the body for it', () => {
    const base = get('get-instance.json');
    if (!base) throw new Error('fixture');
    const since = (uptime: unknown, startDate: number | null = base.start_date ?? null) => vastStateSince({ ...base, uptime_mins: uptime, start_date: startDate }, 'running', NOW);
    for (const hostile of ['46.2', null, undefined, -1, Number.NaN, Number.POSITIVE_INFINITY, {}, [46], true]) expect(since(hostile)).toBeUndefined();
    // Longer than the rental exists (more than the hour since start_date) is wrong; without start_date only the future is.
    expect(since(61)).toBeUndefined();
    expect(since(61, null)).toBe(NOW - 61 * 60_000);
    expect(since(1e12)).toBeUndefined();
    // Exactly since creation, and up to Vast's 6 s rounding before it: the creation time.
    expect(since(60)).toBe(1_755_764_512_410);
    expect(since(60.1)).toBe(1_755_764_512_410);
    expect(since(60.2)).toBeUndefined();
    expect(since(0)).toBe(NOW);
    // Only a running instance is dated: a stopping one's uptime dates its start, not the stop.
    for (const s of ['stopping', 'stopped', 'booting', 'unknown'] as const) expect(vastStateSince({ ...base, uptime_mins: 5 }, s, NOW)).toBeUndefined();
    // Through the schema: text in uptime_mins parses, the instance keeps everything else.
    const body = { instances: { ...(fixture('get-instance.json') as { instances: object }).instances, uptime_mins: 'soon' } };
    const parsed = parseWith(vastGetInstanceResponse, body, 'Vast.ai', 'instance').instances;
    expect(parsed && toVastInstance(parsed, NOW)).toMatchObject({ state: 'running', priceMicrosPerHour: 411_100 });
    expect(parsed && toVastInstance(parsed, NOW).stateSince).toBeUndefined();
  });

  it('maps actual/intended status pairs and survives new values', () => {
    const s = (actual: string | null, intended = 'running', cur = 'running') => vastState({ id: 1, actual_status: actual, intended_status: intended, cur_state: cur });
    expect([s(null), s('created'), s('loading'), s('running'), s('running', 'stopped'), s('stopped', 'stopped'), s('stopped', 'running')]).toEqual(['provisioning', 'provisioning', 'booting', 'running', 'stopping', 'stopped', 'provisioning']);
    expect([s('exited'), s('exited', 'stopped'), s('frozen'), s('offline'), s('running', 'running', 'unloaded'), s('teleporting')]).toEqual(['error', 'stopped', 'unknown', 'unknown', 'terminated', 'unknown']);
  });

  it('falls back to the proxy, +1 for jupyter runtypes, and never mixes ssh_host with HostPort', () => {
    const base: VastInstance = { id: 1, public_ipaddr: '203.0.113.58', ssh_host: 'ssh5.vast.ai', ssh_port: 31202, ports: null };
    expect(vastSsh(base)).toEqual({ host: 'ssh5.vast.ai', port: 31202, user: 'root' });
    expect(vastSsh({ ...base, image_runtype: 'jupyter_proxy' })?.port).toBe(31203);
    expect(vastSsh({ ...base, ports: { '22/tcp': [{ HostPort: 41022 }] } })).toEqual({ host: '203.0.113.58', port: 41022, user: 'root' });
    expect(vastSsh({ id: 1, ports: { '22/tcp': [{ HostPort: 41022 }] } })).toBeUndefined();
  });

  it('prices offers for the whole slice (dph_total incl. storage; min_bid as spot)', () => {
    const offers = parseWith(vastOffersResponse, fixture('search-offers.json'), 'V', 'x').offers.map(toVastOffer);
    expect(offers.map((o) => [o.id, o.gpuCount, o.vramGiB, o.priceMicrosPerHour, o.spotPriceMicrosPerHour, o.available, o.memoryGiB])).toEqual([
      ['21874512', 1, 24, 411_100, 266_700, true, 252],
      ['21900321', 8, 80, 16_042_200, 9_600_000, true, 2015],
    ]);
    expect(parseVastOfferId('21874512')).toBe(21874512);
    expect(parseVastOfferId('SECURE/x/y')).toBeUndefined();
  });

  it('reads create, SSH key list/create (key vs public_key) and error bodies, plain text included', () => {
    expect(parseWith(vastCreateResponse, fixture('create-instance.json'), 'V', 'x').new_contract).toBe(27451203);
    expect(parseWith(vastSshKeyList, fixture('list-ssh-keys.json'), 'V', 'x')[0]?.key).toMatch(/^ssh-ed25519 /);
    expect(parseWith(vastCreateSshKeyResponse, fixture('create-ssh-key.json'), 'V', 'x').key.public_key).toMatch(/laptop$/);
    const call = { method: 'PUT' as const, path: '/api/v0/asks/21874512/' };
    const gone = { status: 410, headers: {}, text: text('error-offer-gone.json') };
    expect(vastErrors.decode(gone).code).toBe('no_such_ask');
    expect(vastErrors.reason?.(410, 'no_such_ask', call)).toBe('capacity');
    expect(vastErrors.reason?.(401, vastErrors.decode({ status: 401, headers: {}, text: text('error-auth.json') }).code, { method: 'GET', path: '/api/v0/ssh/' })).toBe('auth');
    const plain = { status: 429, headers: {}, text: 'API requests too frequent endpoint threshold=1.0' };
    expect(vastErrors.decode(plain)).toEqual({ detail: 'API requests too frequent endpoint threshold=1.0' });
    expect(vastErrors.reason?.(429, undefined, { method: 'GET', path: '/api/v0/ssh/' })).toBe('rateLimited');
    expect(vastErrors.decode({ status: 429, headers: {}, text: text('error-rate-limit.json') }).detail).toContain('threshold');
  });
});
