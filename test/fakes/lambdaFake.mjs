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
 * @typedef {object} LambdaFakeContext
 * @property {ReturnType<typeof newState>} state
 * @property {() => number} now
 * @property {Record<string, { next: string, afterMs: number }>} transitions
 * @property {Record<string, { instance_type: object, regions_with_capacity_available: { name: string }[] }>} types
 * @property {string} apiKey
 * @property {string | undefined} sshHost
 */

/** @param {LambdaFakeOptions} opts */
function newState(opts) {
  return {
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
}

/**
 * @param {LambdaFakeOptions} [opts]
 */
export async function startLambdaFake(opts = {}) {
  /** @type {LambdaFakeContext} */
  const ctx = {
    state: newState(opts),
    now: opts.now ?? Date.now,
    transitions: { booting: { next: 'active', afterMs: opts.timings?.bootMs ?? 200 }, terminating: { next: 'terminated', afterMs: opts.timings?.terminateMs ?? 200 } },
    types: fixture('list-instance-types.json').data,
    apiKey: opts.apiKey ?? 'lambda-test-key',
    sshHost: opts.sshEndpoint?.host,
  };
  const server = await startFakeHttp((req) => route(ctx, req), ctx.state);
  return { url: server.url, baseUrl: `${server.url}/api/v1`, apiKey: ctx.apiKey, sshPort: opts.sshEndpoint?.port ?? 22, state: ctx.state, stop: server.stop };
}

/** @param {LambdaFakeContext} ctx @param {LambdaFakeInstance} i */
const view = (ctx, i) => instanceBody(advance(i, ctx.transitions, ctx.now()), ctx.types, ctx.sshHost);
/** @param {LambdaFakeContext} ctx */
const live = (ctx) => [...ctx.state.instances.values()].filter((i) => advance(i, ctx.transitions, ctx.now()).phase !== 'terminated');

/** @param {LambdaFakeContext} ctx @param {import('./fakeHttp.mjs').FakeRequest} req @returns {import('./fakeHttp.mjs').FakeResponse} */
function route(ctx, req) {
  const { state } = ctx;
  if (presentedKey(req) !== ctx.apiKey) return { status: 401, body: fixture('error-invalid-api-key.json') };
  if (state.rateLimit) return { status: 429, body: error('global/rate-limited', 'Too many requests.'), headers: state.rateLimit.retryAfter ? { 'retry-after': state.rateLimit.retryAfter } : {} };
  const p = req.path.replace(/^\/api\/v1/, '');
  const instanceMatch = /^\/instances\/([^/]+)$/.exec(p);
  if (req.method === 'GET' && p === '/instance-types') return ok(typesBody(ctx.types, state.soldOut));
  if (req.method === 'GET' && p === '/regions') return ok(fixture('list-regions.json').data);
  if (req.method === 'GET' && p === '/instances') return ok(live(ctx).map((i) => view(ctx, i)));
  if (req.method === 'GET' && instanceMatch) {
    const found = live(ctx).find((i) => i.id === decodeURIComponent(instanceMatch[1] ?? ''));
    return found ? ok(view(ctx, found)) : { status: 404, body: fixture('error-not-found.json') };
  }
  if (req.method === 'POST' && p === '/instance-operations/launch') return launch(ctx, req.body);
  if (req.method === 'POST' && p === '/instance-operations/terminate') return operate(ctx, req.body, 'terminate');
  if (req.method === 'POST' && p === '/instance-operations/restart') return operate(ctx, req.body, 'restart');
  if (req.method === 'GET' && p === '/ssh-keys') return ok(state.sshKeys);
  if (req.method === 'POST' && p === '/ssh-keys') return addKey(ctx, req.body);
  return { status: 404, body: error('global/not-found', `No route ${req.method} ${req.path}.`) };
}

/** @param {LambdaFakeContext} ctx @param {unknown} body */
function launch(ctx, body) {
  const { state } = ctx;
  state.launches++;
  const b = /** @type {Record<string, unknown>} */ (typeof body === 'object' && body !== null ? body : {});
  const typeName = String(b.instance_type_name ?? '');
  const region = String(b.region_name ?? '');
  const keys = Array.isArray(b.ssh_key_names) ? b.ssh_key_names.map(String) : [];
  if (!ctx.types[typeName] || !region || keys.length !== 1) return { status: 400, body: error('global/invalid-parameters', 'Invalid launch parameters.') };
  if (!state.sshKeys.some((k) => k.name === keys[0])) return { status: 400, body: error('global/invalid-parameters', 'Unknown SSH key.') };
  const regions = typesBody(ctx.types, state.soldOut)[typeName]?.regions_with_capacity_available ?? [];
  if (!regions.some((r) => r.name === region)) return { status: 400, body: fixture('error-insufficient-capacity.json') };
  const id = randomBytes(16).toString('hex');
  const name = typeof b.name === 'string' ? b.name : id;
  state.instances.set(id, { id, name, typeName, region, sshKeyNames: keys, phase: 'booting', since: ctx.now() });
  return ok({ instance_ids: [id] });
}

/** @param {LambdaFakeContext} ctx @param {unknown} body @param {'terminate' | 'restart'} op */
function operate(ctx, body, op) {
  const raw = typeof body === 'object' && body !== null ? /** @type {{ instance_ids?: unknown }} */ (body).instance_ids : undefined;
  const ids = Array.isArray(raw) ? raw.map(String) : [];
  const targets = ids.map((id) => live(ctx).find((i) => i.id === id));
  if (ids.length === 0 || targets.some((t) => t === undefined)) return { status: 404, body: fixture('error-not-found.json') };
  const found = /** @type {LambdaFakeInstance[]} */ (targets);
  for (const i of found) {
    if (op === 'terminate' && i.phase !== 'terminating') Object.assign(i, { phase: 'terminating', since: ctx.now() });
    if (op === 'restart') Object.assign(i, { phase: 'booting', since: ctx.now() });
  }
  const views = found.map((i) => view(ctx, i));
  return ok(op === 'terminate' ? { terminated_instances: views } : { restarted_instances: views });
}

/** @param {LambdaFakeContext} ctx @param {unknown} body */
function addKey(ctx, body) {
  const b = /** @type {Record<string, unknown>} */ (typeof body === 'object' && body !== null ? body : {});
  if (typeof b.name !== 'string' || typeof b.public_key !== 'string') return { status: 400, body: error('global/invalid-parameters', 'name and public_key required.') };
  if (ctx.state.sshKeys.some((k) => k.name === b.name)) return { status: 409, body: error('global/duplicate', 'A key with this name exists.') };
  const key = { id: randomBytes(16).toString('hex'), name: b.name, public_key: b.public_key };
  ctx.state.sshKeys.push(key);
  return ok(key);
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
