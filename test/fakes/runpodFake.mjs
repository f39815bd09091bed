// @ts-check
/**
 * A fake RunPod (providers.md §2) on 127.0.0.1: REST v2 under /v2 (problem+json errors, 201 create, 204
 * terminate, 409 for an action the pod's status does not allow) and GraphQL at /graphql (200 + `errors`). Pods go
 * PROVISIONING → STARTING → RUNNING with injectable timings; stop → EXITED at once; start → STARTING → RUNNING,
 * optionally with zero GPUs. A RUNNING pod's `ssh.direct` is opts.sshEndpoint (the rig's sshd).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { advance, presentedKey, startFakeHttp } from './fakeHttp.mjs';

const FIXTURES = new URL('../fixtures/providers/runpod/', import.meta.url);
/** @param {string} name */
const fixture = (name) => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));

const CREATE_KEYS = new Set(['name', 'image', 'gpu', 'cpu', 'cloud', 'dataCenterIds', 'disk', 'mounts', 'ports', 'env', 'args', 'registry', 'startSsh', 'startJupyter', 'globalNetworking', 'templateId']);
const GPU_KEYS = new Set(['id', 'count', 'allowedCudaVersions', 'minCudaVersion']);

/**
 * @typedef {object} RunPodFakeOptions
 * @property {string} [apiKey] the one key accepted; "runpod-test-key" when absent
 * @property {{ host: string, port: number, user?: string }} [sshEndpoint] ssh.direct of running pods
 * @property {{ provisionMs?: number, bootMs?: number }} [timings] 100 ms / 150 ms when absent
 * @property {string[]} [soldOut] GPU type ids with no stock anywhere (create → 400)
 * @property {boolean} [zeroGpuOnStart] a started pod comes back with no GPU ("zero GPU pods")
 * @property {() => number} [now] clock for the state machine; Date.now when absent
 */

/**
 * @typedef {object} RunPodFakePod
 * @property {string} id
 * @property {string} name
 * @property {string} image
 * @property {string} gpuId
 * @property {number} gpuCount
 * @property {'SECURE' | 'COMMUNITY'} cloud
 * @property {string} dataCenterId
 * @property {number} pricePerGpu
 * @property {string} createdAt
 * @property {string} phase PROVISIONING | STARTING | RUNNING | EXITED
 * @property {number} since
 */

/**
 * @typedef {{ id: string, community: boolean, price: { secure: number, community: number },
 *   availability: string, dataCenters: { id: string, availability: string }[] }} CatalogGpu
 */

/**
 * @typedef {object} RunPodFakeContext
 * @property {ReturnType<typeof newState>} state
 * @property {() => number} now
 * @property {Record<string, { next: string, afterMs: number }>} transitions
 * @property {CatalogGpu[]} gpus
 * @property {string} apiKey
 * @property {{ host: string, port: number, user?: string } | undefined} ssh
 */

/** @param {RunPodFakeOptions} opts */
function newState(opts) {
  return {
    /** @type {import('./fakeHttp.mjs').Injection[]} */
    injections: [],
    /** @type {{ method: string, path: string, status: number }[]} */
    requests: [],
    /** @type {Map<string, RunPodFakePod>} */
    pods: new Map(),
    /** @type {string[]} */
    sshKeys: fixture('rest-v2.get-ssh-keys.json').keys,
    /** Switch on to answer every request with 429 + Retry-After (seconds, "1" when absent). */
    /** @type {{ retryAfter?: string } | undefined} */
    rateLimit: undefined,
    soldOut: new Set(opts.soldOut ?? []),
    zeroGpuOnStart: opts.zeroGpuOnStart ?? false,
    creates: 0,
  };
}

/** @param {RunPodFakeOptions} [opts] */
export async function startRunPodFake(opts = {}) {
  /** @type {RunPodFakeContext} */
  const ctx = {
    state: newState(opts),
    now: opts.now ?? Date.now,
    transitions: {
      PROVISIONING: { next: 'STARTING', afterMs: opts.timings?.provisionMs ?? 100 },
      STARTING: { next: 'RUNNING', afterMs: opts.timings?.bootMs ?? 150 },
    },
    gpus: fixture('rest-v2.catalog-gpus.json').gpus,
    apiKey: opts.apiKey ?? 'runpod-test-key',
    ssh: opts.sshEndpoint,
  };
  const server = await startFakeHttp((req) => route(ctx, req), ctx.state);
  return { url: server.url, apiKey: ctx.apiKey, state: ctx.state, stop: server.stop };
}

/** @param {RunPodFakeContext} ctx @param {RunPodFakePod} p */
const view = (ctx, p) => podBody(advance(p, ctx.transitions, ctx.now()), ctx.ssh);

/** @param {RunPodFakeContext} ctx @param {import('./fakeHttp.mjs').FakeRequest} req @returns {import('./fakeHttp.mjs').FakeResponse} */
function route(ctx, req) {
  const { state } = ctx;
  if (req.path === '/graphql') return graphql(ctx, req);
  if (presentedKey(req) !== ctx.apiKey) return problem(401, 'Unauthorized', 'Invalid or missing API key.');
  if (state.rateLimit) return { ...problem(429, 'Too Many Requests', 'rate limit exceeded for the minute window'), headers: { 'retry-after': state.rateLimit.retryAfter ?? '1', ratelimit: '"minute";r=0;t=1' } };
  const podMatch = /^\/v2\/pods\/([^/]+)(\/action)?$/.exec(req.path);
  if (req.method === 'GET' && req.path === '/v2/catalog/gpus') return catalog(ctx, req.query);
  if (req.method === 'GET' && req.path === '/v2/catalog/datacenters') return { status: 200, body: fixture('rest-v2.catalog-datacenters.json') };
  if (req.method === 'GET' && req.path === '/v2/pods') return { status: 200, body: { pods: [...state.pods.values()].map((p) => view(ctx, p)) } };
  if (req.method === 'POST' && req.path === '/v2/pods') return create(ctx, req.body);
  if (req.method === 'GET' && req.path === '/v2/account/ssh-keys') return { status: 200, body: { keys: state.sshKeys } };
  if (req.method === 'PUT' && req.path === '/v2/account/ssh-keys') return putKeys(ctx, req.body);
  if (!podMatch) return problem(404, 'Not Found', `no route ${req.method} ${req.path}`);
  const pod = state.pods.get(decodeURIComponent(podMatch[1] ?? ''));
  if (!pod) return problem(404, 'Not Found', 'pod not found');
  if (req.method === 'GET' && !podMatch[2]) return { status: 200, body: view(ctx, pod) };
  if (req.method === 'DELETE' && !podMatch[2]) return act(ctx, pod, 'terminate');
  if (req.method === 'POST' && podMatch[2]) return act(ctx, pod, /** @type {{ action?: unknown }} */ (req.body ?? {}).action);
  return problem(405, 'Method Not Allowed', `${req.method} ${req.path}`);
}

/** @param {RunPodFakeContext} ctx @param {URLSearchParams} query */
function catalog(ctx, query) {
  if (query.get('include') === 'AVAILABILITY' && !query.get('product')) return problem(400, 'Bad Request', 'include=AVAILABILITY requires product');
  const community = query.get('cloud') === 'COMMUNITY';
  const body = ctx.gpus.map((g) => (ctx.state.soldOut.has(g.id) || (community && !g.community) ? { ...g, availability: 'NONE', dataCenters: [] } : g));
  return { status: 200, body: { gpus: body } };
}

/** @param {RunPodFakeContext} ctx @param {unknown} body */
function create(ctx, body) {
  const { state } = ctx;
  state.creates++;
  const b = /** @type {{ name?: unknown, image?: unknown, cloud?: unknown, dataCenterIds?: unknown, gpu?: { id?: unknown, count?: unknown } }} */ (typeof body === 'object' && body !== null ? body : {});
  const extra = [...Object.keys(b).filter((k) => !CREATE_KEYS.has(k)), ...Object.keys(b.gpu ?? {}).filter((k) => !GPU_KEYS.has(k))];
  if (extra.length > 0 || typeof b.name !== 'string' || typeof b.image !== 'string' || typeof b.gpu?.id !== 'string') {
    return { status: 422, body: { ...fixture('rest-v2.error-validation.json'), errors: extra.map((k) => `$: additional properties '${k}' not allowed`) } };
  }
  const cloud = b.cloud === 'COMMUNITY' ? 'COMMUNITY' : 'SECURE';
  const gpu = ctx.gpus.find((g) => g.id === b.gpu?.id);
  const dc = String(Array.isArray(b.dataCenterIds) ? b.dataCenterIds[0] : gpu?.dataCenters[0]?.id);
  const stocked = gpu && !state.soldOut.has(gpu.id) && gpu.dataCenters.some((d) => d.id === dc && d.availability !== 'NONE');
  if (!stocked) return problem(400, 'Bad Request', 'There are no longer any instances available with the requested specifications.');
  const id = randomBytes(5).toString('hex');
  const pricePerGpu = cloud === 'SECURE' ? gpu.price.secure : gpu.price.community;
  const gpuCount = typeof b.gpu?.count === 'number' ? b.gpu.count : 1;
  /** @type {RunPodFakePod} */
  const pod = { id, name: String(b.name), image: String(b.image), gpuId: gpu.id, gpuCount, cloud, dataCenterId: dc, pricePerGpu, createdAt: new Date(ctx.now()).toISOString(), phase: 'PROVISIONING', since: ctx.now() };
  state.pods.set(id, pod);
  return { status: 201, body: view(ctx, pod) };
}

/** Valid next actions per status (providers.md §2.5); anything else is 409. @param {RunPodFakeContext} ctx @param {RunPodFakePod} pod @param {unknown} action */
function act(ctx, pod, action) {
  const phase = advance(pod, ctx.transitions, ctx.now()).phase;
  const allowed = { RUNNING: ['stop', 'restart', 'terminate'], EXITED: ['start', 'terminate'], PROVISIONING: ['stop', 'terminate'], STARTING: ['stop', 'terminate'] }[phase] ?? [];
  if (typeof action !== 'string' || !allowed.includes(action)) return problem(409, 'Conflict', `action ${String(action)} is not valid for a pod in status ${phase}`);
  if (action === 'terminate') {
    ctx.state.pods.delete(pod.id);
    return { status: 204 };
  }
  if (action === 'stop') Object.assign(pod, { phase: 'EXITED', since: ctx.now() });
  const zeroGpu = ctx.state.zeroGpuOnStart && action === 'start';
  if (action === 'start' || action === 'restart') Object.assign(pod, { phase: 'STARTING', since: ctx.now(), ...(zeroGpu ? { gpuCount: 0 } : {}) });
  return { status: 200, body: view(ctx, pod) };
}

/** @param {RunPodFakeContext} ctx @param {unknown} body */
function putKeys(ctx, body) {
  const keys = /** @type {{ keys?: unknown }} */ (body ?? {}).keys;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) return problem(422, 'Unprocessable Entity', 'keys must be an array of strings');
  ctx.state.sshKeys = keys;
  return { status: 200, body: { keys } };
}

/** GraphQL: 401 on a bad key, otherwise 200 with `data` or `errors`. @param {RunPodFakeContext} ctx @param {import('./fakeHttp.mjs').FakeRequest} req */
function graphql(ctx, req) {
  if (presentedKey(req) !== ctx.apiKey) return { status: 401, body: { errors: [{ message: 'Unauthorized', extensions: { code: 'UNAUTHENTICATED' } }] } };
  const query = String(/** @type {{ query?: unknown }} */ (req.body ?? {}).query ?? '');
  if (query.includes('gpuTypes')) return { status: 200, body: fixture('graphql.gpu-types.json') };
  if (query.includes('pubKey')) return { status: 200, body: { data: { myself: { id: 'user_fake', pubKey: ctx.state.sshKeys.join('\n\n') } } } };
  return { status: 200, body: { errors: [{ message: 'Cannot query this field (fake supports gpuTypes and myself.pubKey).', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }], data: null } };
}

/** @param {number} status @param {string} title @param {string} detail @returns {import('./fakeHttp.mjs').FakeResponse} */
function problem(status, title, detail) {
  return { status, body: { title, status, detail }, headers: { 'content-type': 'application/problem+json' } };
}

/**
 * The v2 Pod (fixture rest-v2.get-pod.json): ssh.direct, runtime and startedAt only while RUNNING, cost 0 when EXITED.
 * @param {RunPodFakePod} p @param {{ host: string, port: number, user?: string } | undefined} ssh
 */
function podBody(p, ssh) {
  const running = p.phase === 'RUNNING';
  const host = ssh?.host ?? '195.26.233.3';
  const port = ssh?.port ?? 34446;
  const user = ssh?.user ?? 'root';
  const actions = { RUNNING: ['stop', 'restart', 'terminate'], EXITED: ['start', 'terminate'] }[p.phase] ?? ['stop', 'terminate'];
  return {
    id: p.id,
    name: p.name,
    image: p.image,
    args: '',
    disk: 20,
    ports: ['22/tcp'],
    env: {},
    registry: null,
    status: p.phase,
    actions,
    mounts: { persistent: { size: 50, path: '/workspace' } },
    ...(p.gpuCount > 0 ? { gpu: { id: p.gpuId, count: p.gpuCount } } : {}),
    cloud: p.cloud,
    dataCenterId: p.dataCenterId,
    cudaVersion: running ? '12.8' : null,
    ssh: {
      proxy: { host: 'ssh.runpod.io', port: 22, username: `${p.id}-64411eb2`, command: `ssh ${p.id}-64411eb2@ssh.runpod.io` },
      direct: running ? { host, port, username: user, command: `ssh ${user}@${host} -p ${port}` } : null,
    },
    template: null,
    cost: p.phase === 'EXITED' ? 0.0 : Math.round(p.pricePerGpu * Math.max(1, p.gpuCount) * 100) / 100,
    locked: false,
    globalNetworking: { enabled: false },
    runtime: running ? { uptime: 1, gpus: [], cpu: { util: 0 }, memory: { util: 0 }, ports: [{ private: 22, public: port, type: 'tcp', ip: host }] } : null,
    createdAt: p.createdAt,
    // As v2 does (fixture rest-v2.list-pods.json): when the pod last became RUNNING, null while it is not running.
    // `since` is when the current phase began, so a resumed pod reports its resume, not its creation.
    startedAt: running ? new Date(p.since).toISOString() : null,
  };
}
