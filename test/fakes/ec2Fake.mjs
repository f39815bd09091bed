// @ts-check
/**
 * A fake AWS EC2 + Price List API (providers.md §4) on 127.0.0.1, for the real @aws-sdk clients pointed at it with
 * `endpoint`. EC2 Query protocol: `POST /`, form body `Action=..&Version=2016-11-15`, XML answers (`text/xml`),
 * `<Response><Errors>` errors with the right status; an `Authorization: AWS4-HMAC-SHA256 Credential=<AKID>/...`
 * header is required (the signature is not checked). Pricing: JSON 1.1 with `X-Amz-Target`. Instances go pending →
 * running, stopping → stopped, shutting-down → terminated → gone, on injectable timings; a running instance's
 * `ipAddress` is opts.sshEndpoint.host (the rig's sshd).
 */
import { randomBytes } from 'node:crypto';
import { advance, startFakeHttp } from './fakeHttp.mjs';
import { getProducts, jsonError } from './ec2FakePricing.mjs';
import { filterParams, formParams, instanceItem, instanceTypeItem, listParam, STATE_CODES, wildcard, xmlError, xmlOk } from './ec2FakeXml.mjs';

/** @typedef {{ gpu: string, count: number, vramMiB: number, vcpus: number, ramMiB: number, price: string, spot: [string, string][] }} Ec2FakeType */

/** The region's GPU catalog: prices as AWS writes them (decimal strings), spot per AZ. */
export const EC2_FAKE_TYPES = /** @type {Record<string, Ec2FakeType>} */ ({
  'g4dn.xlarge': { gpu: 'T4', count: 1, vramMiB: 16384, vcpus: 4, ramMiB: 16384, price: '0.5260000000', spot: [['us-east-1a', '0.215000']] },
  'g5.xlarge': { gpu: 'A10G', count: 1, vramMiB: 24576, vcpus: 4, ramMiB: 16384, price: '1.0060000000', spot: [['us-east-1b', '0.412300'], ['us-east-1a', '0.398700']] },
  'p5.48xlarge': { gpu: 'H100', count: 8, vramMiB: 81920, vcpus: 192, ramMiB: 2097152, price: '98.3200000000', spot: [] },
});

/**
 * @typedef {object} Ec2FakeInstance
 * @property {string} id
 * @property {string} type
 * @property {string} imageId
 * @property {string} keyName
 * @property {[string, string][]} tags
 * @property {boolean} spot
 * @property {string} az
 * @property {number} launchTime when RunInstances created it (Describe hides it for describeLagMs after this)
 * @property {number} [lastStart] when StartInstances last started it: AWS reports that as LaunchTime
 * @property {number} [changeRequestedAt] when the last stop or terminate was asked: AWS's StateTransitionReason time
 * @property {string} phase pending | running | stopping | stopped | shutting-down | terminated | gone
 * @property {number} since
 * @property {string} clientToken
 */

/**
 * @typedef {object} Ec2FakeOptions
 * @property {string} [accessKeyId] the one access key accepted; "AKIAFAKEEC2TEST00001" when absent
 * @property {string} [region] "us-east-1" when absent
 * @property {{ host: string, port: number }} [sshEndpoint] running instances' ipAddress is its host (port: the client's setting)
 * @property {{ bootMs?: number, stopMs?: number, terminateMs?: number, goneMs?: number, describeLagMs?: number }} [timings]
 *   100 / 100 / 100 / 3,600,000 / 0 ms when absent; describeLagMs hides a new instance from Describe (eventual consistency)
 * @property {string[]} [noCapacity] instance types whose RunInstances answer InsufficientInstanceCapacity
 * @property {number} [pageSize] DescribeInstances page size (to exercise NextToken); 1000 when absent
 * @property {() => number} [now] clock for the state machine; Date.now when absent
 */

/** @typedef {{ action: string, status: number, body: string, contentType?: string, times?: number }} RawAnswer */

/** @param {Ec2FakeOptions} opts */
function newState(opts) {
  return {
    /** @type {import('./fakeHttp.mjs').Injection[]} */
    injections: [],
    /** @type {{ method: string, path: string, status: number }[]} */
    requests: [],
    /** Every Action sent, in order (all EC2 requests share the path "/"). @type {string[]} */
    actions: [],
    /** Answers served as they are for an Action (a fixture XML body, a malformed one). @type {RawAnswer[]} */
    raw: [],
    /** @type {Map<string, Ec2FakeInstance>} */
    instances: new Map(),
    /** @type {Map<string, { id: string, publicKey: string, fingerprint: string }>} */
    keyPairs: new Map([['gpu-ext-key', { id: 'key-0a1b2c3d4e5f67890', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFak gpu-ext', fingerprint: 'Sy6Yx9oLb3pQd0Kq1ZtNw8vE2cR4fA7uJ5hM0iXgWkU=' }]]),
    /** Every request → RequestLimitExceeded (EC2) / ThrottlingException (Pricing) while true. */
    rateLimit: false,
    noCapacity: new Set(opts.noCapacity ?? []),
    runs: 0,
  };
}

/** @param {Ec2FakeOptions} [opts] */
export async function startEc2Fake(opts = {}) {
  const t = opts.timings ?? {};
  const ctx = {
    state: newState(opts),
    now: opts.now ?? Date.now,
    region: opts.region ?? 'us-east-1',
    accessKeyId: opts.accessKeyId ?? 'AKIAFAKEEC2TEST00001',
    ssh: opts.sshEndpoint,
    pageSize: opts.pageSize ?? 1000,
    describeLagMs: t.describeLagMs ?? 0,
    transitions: {
      pending: { next: 'running', afterMs: t.bootMs ?? 100 },
      stopping: { next: 'stopped', afterMs: t.stopMs ?? 100 },
      'shutting-down': { next: 'terminated', afterMs: t.terminateMs ?? 100 },
      terminated: { next: 'gone', afterMs: t.goneMs ?? 3_600_000 },
    },
  };
  const server = await startFakeHttp((req) => route(ctx, req), ctx.state);
  // Static test credentials: the SDK signs with them; only the access key id is checked.
  return { url: server.url, credentials: { accessKeyId: ctx.accessKeyId, secretAccessKey: 'fake-secret-key' }, region: ctx.region, state: ctx.state, stop: server.stop };
}

/** @typedef {Awaited<ReturnType<typeof startEc2Fake>>} Ec2Fake */
/** @typedef {{ state: ReturnType<typeof newState>, now: () => number, region: string, accessKeyId: string, ssh: { host: string, port: number } | undefined, pageSize: number, describeLagMs: number, transitions: Record<string, { next: string, afterMs: number }> }} Ctx */

/** @param {Ctx} ctx @param {import('./fakeHttp.mjs').FakeRequest} req @returns {import('./fakeHttp.mjs').FakeResponse} */
function route(ctx, req) {
  const target = req.headers['x-amz-target'];
  const auth = String(req.headers.authorization ?? '');
  const signed = auth.startsWith('AWS4-HMAC-SHA256 ') && auth.includes(`Credential=${ctx.accessKeyId}/`);
  if (typeof target === 'string') {
    ctx.state.actions.push(target);
    if (!signed) return jsonError(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    if (ctx.state.rateLimit) return jsonError(400, 'ThrottlingException', 'Rate exceeded');
    if (target !== 'AWSPriceListService.GetProducts') return jsonError(400, 'UnknownOperationException', target);
    return getProducts(EC2_FAKE_TYPES, ctx.region, req.body);
  }
  const p = formParams(req.body);
  const action = p.get('Action') ?? '';
  ctx.state.actions.push(action);
  if (req.method !== 'POST' || req.path !== '/' || p.get('Version') !== '2016-11-15') return xmlError(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
  if (!signed) return xmlError(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials');
  if (ctx.state.rateLimit) return xmlError(503, 'RequestLimitExceeded', 'Request limit exceeded.');
  const raw = takeRaw(ctx.state, action);
  if (raw) return { status: raw.status, body: raw.body, headers: { 'content-type': raw.contentType ?? 'text/xml;charset=UTF-8' } };
  const handler = ACTIONS[action];
  return handler ? handler(ctx, p) : xmlError(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
}

/** @param {ReturnType<typeof newState>} state @param {string} action */
function takeRaw(state, action) {
  const i = state.raw.findIndex((r) => r.action === action);
  if (i < 0) return undefined;
  const raw = /** @type {RawAnswer} */ (state.raw[i]);
  if ((raw.times ?? 1) <= 1) state.raw.splice(i, 1);
  else raw.times = (raw.times ?? 1) - 1;
  return raw;
}

/** @param {Ctx} ctx @param {string} id */
function visible(ctx, id) {
  const i = ctx.state.instances.get(id);
  if (!i) return undefined;
  advance(i, ctx.transitions, ctx.now());
  if (i.phase === 'gone' || ctx.now() - i.launchTime < ctx.describeLagMs) return undefined;
  return i;
}

/** @param {string} id */
const notFound = (id) => xmlError(400, 'InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);

/** @type {Record<string, (ctx: Ctx, p: Map<string, string>) => import('./fakeHttp.mjs').FakeResponse>} */
const ACTIONS = {
  DescribeInstanceTypeOfferings(ctx, p) {
    const patterns = filterParams(p)['instance-type'] ?? ['*'];
    const names = Object.keys(EC2_FAKE_TYPES).filter((n) => patterns.some((pat) => wildcard(pat, n)));
    return xmlOk('DescribeInstanceTypeOfferings', { instanceTypeOfferingSet: names.map((n) => ({ instanceType: n, locationType: 'region', location: ctx.region })) });
  },
  DescribeInstanceTypes(_ctx, p) {
    const names = listParam(p, 'InstanceType');
    const unknown = names.find((n) => !EC2_FAKE_TYPES[n]);
    if (unknown) return xmlError(400, 'InvalidInstanceType', `The following supplied instance types do not exist: [${unknown}]`);
    return xmlOk('DescribeInstanceTypes', { instanceTypeSet: names.map((n) => instanceTypeItem(n, /** @type {Ec2FakeType} */ (EC2_FAKE_TYPES[n]))) });
  },
  DescribeSpotPriceHistory(_ctx, p) {
    const names = listParam(p, 'InstanceType');
    const items = names.flatMap((n) => (EC2_FAKE_TYPES[n]?.spot ?? []).map(([az, price]) => ({ instanceType: n, productDescription: 'Linux/UNIX', spotPrice: price, timestamp: '2026-08-21T08:51:09.000Z', availabilityZone: az })));
    return xmlOk('DescribeSpotPriceHistory', { spotPriceHistorySet: items, nextToken: '' });
  },
  DescribeInstances: describeInstances,
  RunInstances: runInstances,
  StopInstances: (ctx, p) => change(ctx, p, 'StopInstances', 'stoppingInstances', stopOne),
  StartInstances: (ctx, p) => change(ctx, p, 'StartInstances', 'startingInstances', startOne),
  TerminateInstances: (ctx, p) => change(ctx, p, 'TerminateInstances', 'terminatingInstances', terminateOne),
  DescribeKeyPairs(ctx, p) {
    const withKey = p.get('IncludePublicKey') === 'true';
    const keys = [...ctx.state.keyPairs].map(([name, k]) => ({ keyPairId: k.id, keyType: 'ed25519', tagSet: [], publicKey: withKey ? k.publicKey : undefined, keyName: name, keyFingerprint: k.fingerprint, createTime: '2026-08-20T18:31:02.000Z' }));
    return xmlOk('DescribeKeyPairs', { keySet: keys });
  },
  ImportKeyPair(ctx, p) {
    const name = p.get('KeyName') ?? '';
    const material = Buffer.from(p.get('PublicKeyMaterial') ?? '', 'base64').toString('utf8');
    if (!/^ssh-\S+ \S+/.test(material)) return xmlError(400, 'InvalidKey.Format', 'Key is not in valid OpenSSH public key format');
    if (ctx.state.keyPairs.has(name)) return xmlError(400, 'InvalidKeyPair.Duplicate', `The keypair '${name}' already exists.`);
    const key = { id: `key-${randomBytes(8).toString('hex')}`, publicKey: material, fingerprint: randomBytes(32).toString('base64') };
    ctx.state.keyPairs.set(name, key);
    return xmlOk('ImportKeyPair', { keyName: name, keyFingerprint: key.fingerprint, keyPairId: key.id });
  },
};

/** @param {Ctx} ctx @param {Map<string, string>} p */
function describeInstances(ctx, p) {
  const ids = listParam(p, 'InstanceId');
  const missing = ids.find((id) => !visible(ctx, id));
  if (missing) return notFound(missing);
  const filters = filterParams(p);
  let all = ids.length ? ids.map((id) => /** @type {Ec2FakeInstance} */ (visible(ctx, id))) : [...ctx.state.instances.keys()].map((id) => visible(ctx, id)).filter((i) => i !== undefined);
  if (filters['tag-key']) all = all.filter((i) => i.tags.some(([k]) => filters['tag-key']?.includes(k)));
  if (filters['instance-state-name']) all = all.filter((i) => filters['instance-state-name']?.includes(i.phase));
  const start = Number(p.get('NextToken') ?? 0);
  const size = Math.min(ctx.pageSize, Number(p.get('MaxResults') ?? 1000));
  const page = all.slice(start, start + size);
  const next = start + size < all.length ? String(start + size) : undefined;
  const reservationSet = page.map((i) => ({ reservationId: `r-${i.id.slice(2)}`, ownerId: '123456789012', groupSet: [], instancesSet: [instanceItem(i, ctx.ssh)] }));
  return xmlOk('DescribeInstances', { reservationSet, nextToken: next });
}

/** @param {Ctx} ctx @param {Map<string, string>} p */
function runInstances(ctx, p) {
  ctx.state.runs++;
  const type = p.get('InstanceType') ?? 'm1.small';
  const keyName = p.get('KeyName') ?? '';
  const token = p.get('ClientToken') ?? '';
  const again = [...ctx.state.instances.values()].find((i) => token && i.clientToken === token);
  if (again) return xmlOk('RunInstances', { reservationId: `r-${again.id.slice(2)}`, ownerId: '123456789012', groupSet: [], instancesSet: [instanceItem(again, ctx.ssh)] });
  if (!/^ami-[0-9a-f]+$/.test(p.get('ImageId') ?? '')) return xmlError(400, 'InvalidAMIID.Malformed', `Invalid id: "${p.get('ImageId') ?? ''}"`);
  if (!EC2_FAKE_TYPES[type]) return xmlError(400, 'InvalidParameterValue', `Invalid value '${type}' for InstanceType.`);
  if (!ctx.state.keyPairs.has(keyName)) return xmlError(400, 'InvalidKeyPair.NotFound', `The key pair '${keyName}' does not exist`);
  if (ctx.state.noCapacity.has(type)) return xmlError(500, 'InsufficientInstanceCapacity', `We currently do not have sufficient ${type} capacity in the Availability Zone you requested (us-east-1b).`);
  /** @type {[string, string][]} */
  const tags = [];
  for (let i = 1; p.has(`TagSpecification.1.Tag.${i}.Key`); i++) tags.push([p.get(`TagSpecification.1.Tag.${i}.Key`) ?? '', p.get(`TagSpecification.1.Tag.${i}.Value`) ?? '']);
  const now = ctx.now();
  /** @type {Ec2FakeInstance} */
  const inst = { id: `i-${randomBytes(9).toString('hex').slice(0, 17)}`, type, imageId: p.get('ImageId') ?? '', keyName, tags, spot: p.get('InstanceMarketOptions.MarketType') === 'spot', az: 'us-east-1a', launchTime: now, phase: 'pending', since: now, clientToken: token };
  ctx.state.instances.set(inst.id, inst);
  return xmlOk('RunInstances', { reservationId: `r-${inst.id.slice(2)}`, ownerId: '123456789012', groupSet: [], instancesSet: [instanceItem(inst, ctx.ssh)] });
}

/**
 * Stop/Start/Terminate: every id must exist (else NotFound for the call); a transition the state forbids answers
 * IncorrectInstanceState (or UnsupportedOperation for a one-time spot stop) for the whole call, as AWS does.
 * @param {Ctx} ctx @param {Map<string, string>} p @param {string} action @param {string} setName
 * @param {(ctx: Ctx, i: Ec2FakeInstance) => import('./fakeHttp.mjs').FakeResponse | undefined} one
 */
function change(ctx, p, action, setName, one) {
  const ids = listParam(p, 'InstanceId');
  const items = [];
  for (const id of ids) {
    const i = ctx.state.instances.get(id);
    if (!i || advance(i, ctx.transitions, ctx.now()).phase === 'gone') return notFound(id);
    const previous = i.phase;
    const refused = one(ctx, i);
    if (refused) return refused;
    items.push({ instanceId: id, currentState: { code: STATE_CODES[i.phase] ?? 0, name: i.phase }, previousState: { code: STATE_CODES[previous] ?? 0, name: previous } });
  }
  return xmlOk(action, { [setName]: items });
}

/** @param {string} id @param {string} phase */
const incorrect = (id, phase) => xmlError(400, 'IncorrectInstanceState', `The instance '${id}' is not in a state from which it can be stopped or started (${phase}).`);

/** @param {Ctx} ctx @param {Ec2FakeInstance} i */
function stopOne(ctx, i) {
  if (i.spot) return xmlError(400, 'UnsupportedOperation', `You can't stop the Spot Instance '${i.id}' because it is associated with a one-time Spot Instance request. You can only stop Spot Instances associated with a persistent Spot Instance request.`);
  if (i.phase === 'stopping' || i.phase === 'stopped') return undefined;
  if (i.phase !== 'running') return incorrect(i.id, i.phase);
  Object.assign(i, { phase: 'stopping', since: ctx.now(), changeRequestedAt: ctx.now() });
  return undefined;
}

/** @param {Ctx} ctx @param {Ec2FakeInstance} i */
function startOne(ctx, i) {
  if (i.phase === 'pending' || i.phase === 'running') return undefined;
  if (i.phase !== 'stopped') return incorrect(i.id, i.phase);
  Object.assign(i, { phase: 'pending', since: ctx.now(), lastStart: ctx.now() });
  return undefined;
}

/** @param {Ctx} ctx @param {Ec2FakeInstance} i */
function terminateOne(ctx, i) {
  if (i.phase !== 'shutting-down' && i.phase !== 'terminated') Object.assign(i, { phase: 'shutting-down', since: ctx.now(), changeRequestedAt: ctx.now() });
  return undefined;
}
