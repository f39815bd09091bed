// @ts-check
/**
 * A fake Vast.ai (providers.md §3) on 127.0.0.1: `/api/v0/...` (trailing slash or not) and the keyset-paged
 * `/api/v1/instances/`, Bearer auth (or the legacy `?api_key=`), `{success:false,error,msg}` errors, 410
 * `no_such_ask` for a gone offer, and 429s as plain text or JSON. Instances go (null) → loading → running with
 * injectable timings; stop → stopping → stopped; start → "scheduling" (stopped, intended running) → loading →
 * running, or stays scheduling when the machine's GPUs are taken. A running instance's SSH is opts.sshEndpoint,
 * direct (`public_ipaddr` + `ports["22/tcp"]`) or through the proxy fields (`ssh_host`:`ssh_port`).
 */
import { readFileSync } from 'node:fs';
import { advance, presentedKey, startFakeHttp } from './fakeHttp.mjs';

const FIXTURES = new URL('../fixtures/providers/vast/', import.meta.url);
/** @param {string} name */
const fixture = (name) => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));

/** The instance body every view starts from (read once: views are built on every poll). */
const INSTANCE_BASE = fixture('get-instance.json').instances;

export const VAST_RATE_LIMIT_TEXT = 'API requests too frequent endpoint threshold=1.0';

/**
 * @typedef {object} VastFakeOptions
 * @property {string} [apiKey] the one key accepted; "vast-test-key" when absent
 * @property {{ host: string, port: number }} [sshEndpoint] where a running instance's SSH points
 * @property {'direct' | 'proxy'} [sshMode] direct (ports["22/tcp"]) when absent
 * @property {{ provisionMs?: number, bootMs?: number, stopMs?: number, scheduleMs?: number }} [timings]
 *   100 / 150 / 50 / 50 ms when absent
 * @property {number[]} [soldOut] offer ids rented by someone else: create → 410 no_such_ask
 * @property {number} [maxPageSize] clamp /api/v1/instances/ pages below Vast's 25 (to exercise pagination)
 * @property {() => number} [now] clock for the state machine; Date.now when absent
 */

/**
 * @typedef {object} VastFakeInstance
 * @property {number} id
 * @property {string} label
 * @property {string} image
 * @property {number} disk
 * @property {Record<string, unknown>} offer
 * @property {string} phase created | loading | running | stopping | stopped | scheduling | waiting
 * @property {number} since
 * @property {number} startDate epoch seconds
 */

/**
 * @typedef {object} VastFakeContext
 * @property {ReturnType<typeof newState>} state
 * @property {() => number} now
 * @property {Record<string, { next: string, afterMs: number }>} transitions
 * @property {string} apiKey
 * @property {{ host: string, port: number } | undefined} ssh
 * @property {'direct' | 'proxy'} sshMode
 * @property {number} maxPageSize
 */

/** @param {VastFakeOptions} opts */
function newState(opts) {
  return {
    /** @type {import('./fakeHttp.mjs').Injection[]} */
    injections: [],
    /** @type {{ method: string, path: string, status: number }[]} */
    requests: [],
    /** @type {Map<number, VastFakeInstance>} */
    instances: new Map(),
    /** @type {Record<string, unknown>[]} */
    offers: fixture('search-offers.json').offers,
    /** @type {{ id: number, user_id: number, key: string, created_at: string, deleted_at: null }[]} */
    sshKeys: fixture('list-ssh-keys.json'),
    /** Every request → 429 while set: plain text (Vast's usual) or JSON `{detail}`. */
    /** @type {{ format?: 'text' | 'json' } | undefined} */
    rateLimit: undefined,
    soldOut: new Set(opts.soldOut ?? []),
    /** A start leaves the instance "scheduling" for good: its machine's GPUs went to someone else. */
    gpusTakenOnStart: false,
    creates: 0,
    nextId: 27451203,
  };
}

/** @param {VastFakeOptions} [opts] */
export async function startVastFake(opts = {}) {
  const t = opts.timings ?? {};
  /** @type {VastFakeContext} */
  const ctx = {
    state: newState(opts),
    now: opts.now ?? Date.now,
    transitions: {
      created: { next: 'loading', afterMs: t.provisionMs ?? 100 },
      loading: { next: 'running', afterMs: t.bootMs ?? 150 },
      stopping: { next: 'stopped', afterMs: t.stopMs ?? 50 },
      scheduling: { next: 'loading', afterMs: t.scheduleMs ?? 50 },
    },
    apiKey: opts.apiKey ?? 'vast-test-key',
    ssh: opts.sshEndpoint,
    sshMode: opts.sshMode ?? 'direct',
    maxPageSize: opts.maxPageSize ?? 25,
  };
  const server = await startFakeHttp((req) => route(ctx, req), ctx.state);
  return { url: server.url, apiKey: ctx.apiKey, state: ctx.state, stop: server.stop };
}

/** @param {string} error @param {string} msg @param {number} status @returns {import('./fakeHttp.mjs').FakeResponse} */
const fail = (status, error, msg) => ({ status, body: { success: false, error, msg } });

/** @param {VastFakeContext} ctx @param {import('./fakeHttp.mjs').FakeRequest} req @returns {import('./fakeHttp.mjs').FakeResponse} */
function route(ctx, req) {
  const { state } = ctx;
  const key = presentedKey(req) ?? req.query.get('api_key') ?? undefined;
  if (key !== ctx.apiKey) return { status: 401, body: fixture('error-auth.json') };
  if (state.rateLimit) return state.rateLimit.format === 'json' ? { status: 429, body: fixture('error-rate-limit.json') } : { status: 429, body: VAST_RATE_LIMIT_TEXT };
  // The CLIs always add a trailing slash; older scripts do not. Both reach the same handler.
  const path = req.path.replace(/\/+$/, '');
  const one = /^\/api\/v0\/instances\/(\d+)$/.exec(path);
  const ask = /^\/api\/v0\/asks\/(\d+)$/.exec(path);
  if (req.method === 'POST' && path === '/api/v0/bundles') return { status: 200, body: { offers: searchOffers(ctx, req.body) } };
  if (req.method === 'PUT' && ask) return create(ctx, Number(ask[1]), req.body);
  if (req.method === 'GET' && path === '/api/v1/instances') return page(ctx, req.query);
  if (req.method === 'GET' && path === '/api/v0/instances') return { status: 200, body: { instances: [...state.instances.values()].map((i) => view(ctx, i)) } };
  if (req.method === 'GET' && path === '/api/v0/ssh') return { status: 200, body: state.sshKeys };
  if (req.method === 'POST' && path === '/api/v0/ssh') return addKey(ctx, req.body);
  if (!one) return fail(404, 'not_found', `no route ${req.method} ${req.path}`);
  const instance = state.instances.get(Number(one[1]));
  // GET of an unknown id is a 200 with `instances: null` (providers.md §3.2); changes to it are 404s.
  if (req.method === 'GET') return { status: 200, body: { instances: instance ? view(ctx, instance) : null } };
  if (!instance) return fail(404, 'no_such_instance', `Instance ${one[1]} not found.`);
  if (req.method === 'DELETE') {
    state.instances.delete(instance.id);
    return { status: 200, body: fixture('destroy-instance.json') };
  }
  if (req.method === 'PUT') return manage(ctx, instance, req.body);
  return fail(405, 'invalid_request', `${req.method} ${req.path}`);
}

/** Only the filters the client sends are honoured loosely: gone offers disappear, `limit` caps. @param {VastFakeContext} ctx @param {unknown} body */
function searchOffers(ctx, body) {
  const limit = Number(/** @type {{ limit?: unknown }} */ (body ?? {}).limit ?? 64);
  return ctx.state.offers.filter((o) => !ctx.state.soldOut.has(Number(o.id))).slice(0, limit);
}

/** @param {VastFakeContext} ctx @param {number} offerId @param {unknown} body */
function create(ctx, offerId, body) {
  const { state } = ctx;
  state.creates++;
  const b = /** @type {{ image?: unknown, disk?: unknown, label?: unknown, env?: unknown }} */ (typeof body === 'object' && body !== null ? body : {});
  if (typeof b.image !== 'string' || (b.disk !== undefined && typeof b.disk !== 'number') || (b.env !== undefined && (typeof b.env !== 'object' || b.env === null))) {
    return fail(400, 'invalid_args', 'image is required; disk must be a number; env must be an object');
  }
  const offer = state.offers.find((o) => o.id === offerId);
  if (!offer || state.soldOut.has(offerId)) return { status: 410, body: { ...fixture('error-offer-gone.json'), ask_id: offerId, msg: `error 410/3907: no_such_ask Instance type ${offerId} is no longer available.` } };
  const id = state.nextId++;
  const now = ctx.now();
  state.instances.set(id, { id, label: String(b.label ?? ''), image: b.image, disk: Number(b.disk ?? 8), offer, phase: 'created', since: now, startDate: now / 1000 });
  return { status: 200, body: { ...fixture('create-instance.json'), new_contract: id } };
}

/** @param {VastFakeContext} ctx @param {VastFakeInstance} instance @param {unknown} body */
function manage(ctx, instance, body) {
  const b = /** @type {{ state?: unknown, label?: unknown }} */ (body ?? {});
  const phase = advance(instance, ctx.transitions, ctx.now()).phase;
  if (typeof b.label === 'string') instance.label = b.label;
  if (b.state === 'stopped' && !['stopping', 'stopped'].includes(phase)) Object.assign(instance, { phase: phase === 'running' ? 'stopping' : 'stopped', since: ctx.now() });
  if (b.state === 'running' && ['stopping', 'stopped'].includes(phase)) Object.assign(instance, { phase: ctx.state.gpusTakenOnStart ? 'waiting' : 'scheduling', since: ctx.now() });
  if (b.state !== undefined && b.state !== 'stopped' && b.state !== 'running') return fail(400, 'invalid_args', `unknown state ${String(b.state)}`);
  return { status: 200, body: fixture('manage-instance.json') };
}

/**
 * Keyset pagination (providers.md §3.6): `limit` ≤ 25 (≤ 0 → 5), ordered by id; `next_token` is opaque base64 of
 * the last id, passed back as `after_token`; a token we did not make → 400 invalid_token.
 * @param {VastFakeContext} ctx @param {URLSearchParams} query
 */
function page(ctx, query) {
  const asked = Number(query.get('limit') ?? 25);
  const limit = Math.min(asked <= 0 ? 5 : asked, 25, ctx.maxPageSize);
  let afterId = -Infinity;
  const token = query.get('after_token');
  if (token) {
    try {
      afterId = Number(JSON.parse(Buffer.from(token, 'base64').toString('utf8')).values.id);
      if (!Number.isFinite(afterId)) throw new Error('no id');
    } catch {
      return fail(400, 'invalid_token', 'after_token is not a token this server issued');
    }
  }
  const all = [...ctx.state.instances.values()].sort((a, b) => a.id - b.id).filter((i) => i.id > afterId);
  const slice = all.slice(0, limit);
  const last = slice[slice.length - 1];
  const next = all.length > limit && last ? Buffer.from(JSON.stringify({ values: { id: last.id } })).toString('base64') : null;
  const total = ctx.state.instances.size;
  return { status: 200, body: { success: true, instances_found: slice.length, total_instances: total, label_counts: {}, next_token: next, instances: slice.map((i) => view(ctx, i)) } };
}

/** @param {VastFakeContext} ctx @param {unknown} body */
function addKey(ctx, body) {
  const line = /** @type {{ ssh_key?: unknown }} */ (body ?? {}).ssh_key;
  if (typeof line !== 'string' || !/^ssh-\S+ \S+/.test(line)) return fail(400, 'invalid_args', 'ssh_key must be an OpenSSH public key');
  const key = { id: 48212 + ctx.state.sshKeys.length, user_id: 312877, key: line, created_at: new Date(ctx.now()).toISOString(), deleted_at: null };
  ctx.state.sshKeys.push(key);
  return { status: 200, body: { success: true, key: { id: key.id, user_id: key.user_id, public_key: line, created_at: key.created_at, deleted_at: null } } };
}

/** Actual / intended / cur_state per phase (providers.md §3.3). */
const STATUS = {
  created: [null, 'running', 'running'],
  loading: ['loading', 'running', 'running'],
  running: ['running', 'running', 'running'],
  stopping: ['running', 'stopped', 'stopped'],
  stopped: ['stopped', 'stopped', 'stopped'],
  scheduling: ['stopped', 'running', 'stopped'],
  waiting: ['stopped', 'running', 'stopped'],
};

/**
 * The instance body (fixture get-instance.json) for the phase: `ports` only while running, direct or proxy SSH.
 * @param {VastFakeContext} ctx @param {VastFakeInstance} i
 */
function view(ctx, i) {
  advance(i, ctx.transitions, ctx.now());
  const base = INSTANCE_BASE;
  const [actual, intended, cur] = STATUS[/** @type {keyof typeof STATUS} */ (i.phase)] ?? ['unknown', 'running', 'running'];
  const running = i.phase === 'running';
  const host = ctx.ssh?.host ?? base.public_ipaddr;
  const port = ctx.ssh?.port ?? 41022;
  const direct = ctx.sshMode === 'direct';
  const o = /** @type {{ gpu_name: string, num_gpus: number, gpu_ram: number, dph_total: number, dph_base: number, min_bid: number, geolocation: string, machine_id: number, search: { diskHour: number } }} */ (i.offer);
  return {
    ...base,
    id: i.id,
    label: i.label,
    image_uuid: i.image,
    disk_space: i.disk,
    actual_status: actual,
    intended_status: intended,
    cur_state: cur,
    next_state: cur,
    status_msg: running ? `success, running ${i.image}/ssh` : actual === 'loading' ? `Pulling image ${i.image}` : '',
    public_ipaddr: direct ? host : '198.51.100.200',
    ssh_host: direct ? 'ssh5.vast.ai' : host,
    ssh_port: direct ? 31202 : port,
    ports: running ? { ...(direct ? { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: String(port) }] } : {}), '8888/tcp': [{ HostIp: '0.0.0.0', HostPort: '41088' }] } : null,
    gpu_name: o.gpu_name,
    num_gpus: o.num_gpus,
    gpu_ram: o.gpu_ram,
    dph_total: o.dph_total,
    dph_base: o.dph_base,
    min_bid: o.min_bid,
    storage_total_cost: o.search.diskHour,
    geolocation: o.geolocation,
    machine_id: o.machine_id,
    start_date: i.startDate,
    // Minutes since the container last became running, to a tenth as Vast sends it (46.2); null while not running.
    uptime_mins: running ? Math.round((ctx.now() - i.since) / 6_000) / 10 : null,
  };
}
