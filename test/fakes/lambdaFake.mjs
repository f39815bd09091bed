// @ts-check
/**
 * A fake Lambda Cloud API v1 (providers.md §1) on 127.0.0.1: Bearer or Basic auth, `{data}` / `{error:{code}}`
 * envelopes, the documented paths, an instance lifecycle booting → active → terminating → terminated with
 * injectable timings, capacity errors, a rate-limit switch, and an SSH endpoint: an active instance's `ip` is
 * opts.sshEndpoint.host (Lambda reports no port, so the client is told `sshPort` separately).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { advance, presentedKey, startFakeHttp } from './fakeHttp.mjs';

const FIXTURES = new URL('../fixtures/providers/lambda/', import.meta.url);
/** @param {string} name */
const fixture = (name) => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));

/**
 * @typedef {object} LambdaFakeOptions
 * @property {string} [apiKey] the one key accepted; "lambda-test-key" when absent
 * @property {{ host: string, port: number }} [sshEndpoint] where active instances answer SSH
 * @property {{ bootMs?: number, terminateMs?: number }} [timings] 200 ms each when absent
 * @property {string[]} [soldOut] instance type names with no capacity anywhere (launch → insufficient-capacity)
 * @property {() => number} [now] clock for the state machine; Date.now when absent
 */

/**
 * @typedef {object} LambdaFakeInstance
 * @property {string} id
 * @property {string} name
 * @property {string} typeName
 * @property {string} region
 * @property {string[]} sshKeyNames
 * @property {string} phase booting | active | terminating | terminated
 * @property {number} since
 */

/**
 * @param {LambdaFakeOptions} [opts]
 */
export async function startLambdaFake(opts = {}) {
  const now = opts.now ?? Date.now;
  const apiKey = opts.apiKey ?? 'lambda-test-key';
  const bootMs = opts.timings?.bootMs ?? 200;
  const terminateMs = opts.timings?.terminateMs ?? 200;
  const state = {
    /** @type {import('./fakeHttp.mjs').Injection[]} */
    injections: [],
    /** @type {{ method: string, path: string, status: number }[]} */
    requests: [],
    /** @type {Map<string, LambdaFakeInstance>} */
    instances: new Map(),
    /** @type {{ id: string, name: string, public_key: string }[]} */
    sshKeys: fixture('list-ssh-keys.json').data,
    /** Switch on to answer every request with 429 (retryAfter: the Retry-After header, none when absent). */
    /** @type {{ retryAfter?: string } | undefined} */
    rateLimit: undefined,
    soldOut: new Set(opts.soldOut ?? []),
    launches: 0,
  };
  const transitions = { booting: { next: 'active', afterMs: bootMs }, terminating: { next: 'terminated', afterMs: terminateMs } };
  const types = fixture('list-instance-types.json').data;

  /** @param {LambdaFakeInstance} i */
  const view = (i) => instanceBody(advance(i, transitions, now()), types, opts.sshEndpoint?.host);
  const live = () => [...state.instances.values()].filter((i) => advance(i, transitions, now()).phase !== 'terminated');

  /** @param {import('./fakeHttp.mjs').FakeRequest} req @returns {import('./fakeHttp.mjs').FakeResponse} */
  const handle = (req) => {
    if (presentedKey(req) !== apiKey) return { status: 401, body: fixture('error-invalid-api-key.json') };
    if (state.rateLimit) return { status: 429, body: error('global/rate-limited', 'Too many requests.'), headers: state.rateLimit.retryAfter ? { 'retry-after': state.rateLimit.retryAfter } : {} };
    const p = req.path.replace(/^\/api\/v1/, '');
    const instanceMatch = /^\/instances\/([^/]+)$/.exec(p);
    if (req.method === 'GET' && p === '/instance-types') return ok(typesBody(types, state.soldOut));
    if (req.method === 'GET' && p === '/regions') return ok(fixture('list-regions.json').data);
    if (req.method === 'GET' && p === '/instances') return ok(live().map(view));
    if (req.method === 'GET' && instanceMatch) {
      const found = live().find((i) => i.id === decodeURIComponent(instanceMatch[1] ?? ''));
      return found ? ok(view(found)) : { status: 404, body: fixture('error-not-found.json') };
    }
    if (req.method === 'POST' && p === '/instance-operations/launch') return launch(req.body);
    if (req.method === 'POST' && p === '/instance-operations/terminate') return operate(req.body, 'terminate');
    if (req.method === 'POST' && p === '/instance-operations/restart') return operate(req.body, 'restart');
    if (req.method === 'GET' && p === '/ssh-keys') return ok(state.sshKeys);
    if (req.method === 'POST' && p === '/ssh-keys') return addKey(req.body);
    return { status: 404, body: error('global/not-found', `No route ${req.method} ${req.path}.`) };
  };

  /** @param {unknown} body */
  const launch = (body) => {
    state.launches++;
    const b = /** @type {Record<string, unknown>} */ (typeof body === 'object' && body !== null ? body : {});
    const typeName = String(b.instance_type_name ?? '');
    const region = String(b.region_name ?? '');
    const keys = Array.isArray(b.ssh_key_names) ? b.ssh_key_names.map(String) : [];
    if (!types[typeName] || !region || keys.length !== 1) return { status: 400, body: error('global/invalid-parameters', 'Invalid launch parameters.') };
    if (!state.sshKeys.some((k) => k.name === keys[0])) return { status: 400, body: error('global/invalid-parameters', 'Unknown SSH key.') };
    const regions = typesBody(types, state.soldOut)[typeName]?.regions_with_capacity_available ?? [];
    if (!regions.some((r) => r.name === region)) return { status: 400, body: fixture('error-insufficient-capacity.json') };
    const id = randomBytes(16).toString('hex');
    const name = typeof b.name === 'string' ? b.name : id;
    state.instances.set(id, { id, name, typeName, region, sshKeyNames: keys, phase: 'booting', since: now() });
    return ok({ instance_ids: [id] });
  };

  /** @param {unknown} body @param {'terminate' | 'restart'} op */
  const operate = (body, op) => {
    const ids = typeof body === 'object' && body !== null && Array.isArray(/** @type {{instance_ids?: unknown}} */ (body).instance_ids) ? /** @type {{instance_ids: unknown[]}} */ (body).instance_ids.map(String) : [];
    const targets = ids.map((id) => live().find((i) => i.id === id));
    if (ids.length === 0 || targets.some((t) => t === undefined)) return { status: 404, body: fixture('error-not-found.json') };
    const found = /** @type {LambdaFakeInstance[]} */ (targets);
    for (const i of found) {
      if (op === 'terminate' && i.phase !== 'terminating') Object.assign(i, { phase: 'terminating', since: now() });
      if (op === 'restart') Object.assign(i, { phase: 'booting', since: now() });
    }
    return ok(op === 'terminate' ? { terminated_instances: found.map(view) } : { restarted_instances: found.map(view) });
  };

  /** @param {unknown} body */
  const addKey = (body) => {
    const b = /** @type {Record<string, unknown>} */ (typeof body === 'object' && body !== null ? body : {});
    if (typeof b.name !== 'string' || typeof b.public_key !== 'string') return { status: 400, body: error('global/invalid-parameters', 'name and public_key required.') };
    if (state.sshKeys.some((k) => k.name === b.name)) return { status: 409, body: error('global/duplicate', 'A key with this name exists.') };
    const key = { id: randomBytes(16).toString('hex'), name: b.name, public_key: b.public_key };
    state.sshKeys.push(key);
    return ok(key);
  };

  const server = await startFakeHttp(handle, state);
  return { url: server.url, baseUrl: `${server.url}/api/v1`, apiKey, sshPort: opts.sshEndpoint?.port ?? 22, state, stop: server.stop };
}

/** @param {unknown} data */
const ok = (data) => ({ status: 200, body: { data } });
/** @param {string} code @param {string} message */
const error = (code, message) => ({ error: { code, message } });

/** @param {Record<string, { instance_type: object, regions_with_capacity_available: { name: string }[] }>} types @param {Set<string>} soldOut */
function typesBody(types, soldOut) {
  return Object.fromEntries(Object.entries(types).map(([name, t]) => [name, soldOut.has(name) ? { ...t, regions_with_capacity_available: [] } : t]));
}

/**
 * The instance as Lambda shows it (fixture get-instance.json): no `ip` while booting.
 * @param {LambdaFakeInstance} i @param {Record<string, { instance_type: object }>} types @param {string | undefined} sshHost
 */
function instanceBody(i, types, sshHost) {
  const ip = i.phase === 'booting' ? undefined : (sshHost ?? '198.51.100.23');
  const can = (/** @type {boolean} */ yes) => (yes ? { available: true } : { available: false, reason_code: 'vm-has-not-launched' });
  const active = i.phase === 'active';
  return {
    id: i.id,
    name: i.name,
    ...(ip ? { ip, hostname: ip.replaceAll('.', '-') } : {}),
    status: i.phase,
    ssh_key_names: i.sshKeyNames,
    file_system_names: [],
    region: { name: i.region, description: i.region },
    instance_type: types[i.typeName]?.instance_type,
    actions: { migrate: can(false), rebuild: can(active), restart: can(active), cold_reboot: can(active), terminate: can(i.phase !== 'terminating') },
    tags: [],
  };
}
