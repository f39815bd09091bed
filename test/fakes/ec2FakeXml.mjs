// @ts-check
/**
 * EC2 Query-protocol wire helpers for the fake EC2 (providers.md §4.1): form-encoded request parameters with
 * 1-based flattened lists in, `<{Action}Response xmlns=...>` XML out, `<Response><Errors>` XML errors. The element
 * names follow the fixtures in test/fixtures/providers/aws-ec2 (what the real SDK parsed).
 */
import { randomUUID } from 'node:crypto';
import { URLSearchParams } from 'node:url';

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** @param {string} s */
export function esc(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * One element; objects nest, arrays become `<name><item>..</item></name>`, undefined is left out.
 * @param {string} name @param {unknown} value @returns {string}
 */
export function el(name, value) {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((v) => el('item', v)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${Object.entries(value).map(([k, v]) => el(k, v)).join('')}</${name}>`;
  return `<${name}>${esc(String(value))}</${name}>`;
}

/** @param {string} action @param {Record<string, unknown>} members @returns {import('./fakeHttp.mjs').FakeResponse} */
export function xmlOk(action, members) {
  const inner = Object.entries(members).map(([k, v]) => el(k, v)).join('');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_XMLNS}"><requestId>${randomUUID()}</requestId>${inner}</${action}Response>`;
  return { status: 200, body, headers: { 'content-type': 'text/xml;charset=UTF-8' } };
}

/** Note `RequestID` (capital D) in errors, `requestId` in successes. @param {number} status @param {string} code @param {string} message */
export function xmlError(status, code, message) {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`;
  return { status, body, headers: { 'content-type': 'text/xml;charset=UTF-8' } };
}

/** The form body as a Map. @param {unknown} body */
export function formParams(body) {
  return new Map(new URLSearchParams(typeof body === 'string' ? body : ''));
}

/** `InstanceId.1`, `InstanceId.2`, ... → values. @param {Map<string, string>} p @param {string} prefix */
export function listParam(p, prefix) {
  const out = [];
  for (let i = 1; p.has(`${prefix}.${i}`); i++) out.push(/** @type {string} */ (p.get(`${prefix}.${i}`)));
  return out;
}

/** `Filter.N.Name` + `Filter.N.Value.M` → { name: values }. @param {Map<string, string>} p */
export function filterParams(p) {
  /** @type {Record<string, string[]>} */
  const out = {};
  for (let i = 1; p.has(`Filter.${i}.Name`); i++) out[/** @type {string} */ (p.get(`Filter.${i}.Name`))] = listParam(p, `Filter.${i}.Value`);
  return out;
}

/** EC2 filter wildcards: `*` any run, `?` one character. @param {string} pattern @param {string} value */
export function wildcard(pattern, value) {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

/** State codes (providers.md §4.3). */
export const STATE_CODES = /** @type {Record<string, number>} */ ({ pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 });

/**
 * StateTransitionReason as AWS writes it once a stop or termination was asked ("User initiated (2026-08-20 22:01:44
 * GMT)", fixture DescribeInstances.xml); empty while pending or running.
 * @param {import('./ec2Fake.mjs').Ec2FakeInstance} i
 */
function transitionReason(i) {
  if (i.phase === 'pending' || i.phase === 'running' || i.changeRequestedAt === undefined) return '';
  return `User initiated (${new Date(i.changeRequestedAt).toISOString().slice(0, 19).replace('T', ' ')} GMT)`;
}

/**
 * One `instancesSet/item` (fixture DescribeInstances.xml): no `ipAddress`/`dnsName` unless running.
 * @param {import('./ec2Fake.mjs').Ec2FakeInstance} i @param {{ host: string } | undefined} ssh
 */
export function instanceItem(i, ssh) {
  const running = i.phase === 'running';
  return {
    instanceId: i.id,
    imageId: i.imageId,
    instanceState: { code: STATE_CODES[i.phase] ?? 0, name: i.phase },
    privateDnsName: 'ip-10-0-1-23.ec2.internal',
    dnsName: running ? `ec2-${(ssh?.host ?? '198.51.100.23').replace(/\./g, '-')}.compute-1.amazonaws.com` : '',
    reason: transitionReason(i),
    keyName: i.keyName,
    amiLaunchIndex: 0,
    instanceType: i.type,
    // AWS moves LaunchTime to each start (it is the last launch, not the first).
    launchTime: new Date(i.lastStart ?? i.launchTime).toISOString(),
    placement: { availabilityZone: i.az, tenancy: 'default' },
    monitoring: { state: 'disabled' },
    privateIpAddress: '10.0.1.23',
    ipAddress: running ? (ssh?.host ?? '198.51.100.23') : undefined,
    instanceLifecycle: i.spot ? 'spot' : undefined,
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/sda1',
    tagSet: i.tags.map(([key, value]) => ({ key, value })),
    stateReason: i.phase === 'stopped' ? { code: 'Client.UserInitiatedShutdown', message: 'Client.UserInitiatedShutdown: User initiated shutdown' } : undefined,
  };
}

/**
 * One `instanceTypeSet/item` (fixture DescribeInstanceTypes.xml).
 * @param {string} name @param {import('./ec2Fake.mjs').Ec2FakeType} t
 */
export function instanceTypeItem(name, t) {
  return {
    instanceType: name,
    currentGeneration: true,
    supportedUsageClasses: t.spot.length ? ['on-demand', 'spot'] : ['on-demand'],
    supportedRootDeviceTypes: ['ebs'],
    vCpuInfo: { defaultVCpus: t.vcpus },
    memoryInfo: { sizeInMiB: t.ramMiB },
    gpuInfo: { gpus: [{ name: t.gpu, manufacturer: 'NVIDIA', count: t.count, memoryInfo: { sizeInMiB: t.vramMiB } }], totalGpuMemoryInMiB: t.vramMiB * t.count },
  };
}
