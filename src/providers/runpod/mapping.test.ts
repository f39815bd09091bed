import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWith } from '../../core/http/validate';
import { runpodErrors } from './api';
import { parseRunPodOfferId, runpodOfferId, runpodSsh, runpodState, shortGpuName, toRunPodInstance, toRunPodOffers } from './mapping';
import { parseIsoTime, parseLastStatusChange } from './stateSince';
import { actionResultSchema, catalogGpusResponse, graphqlEnvelope, podListSchema, podSchema, spotPricesData, sshKeysResponse } from './schemas';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../test/fixtures/providers/runpod/${name}`, import.meta.url), 'utf8'));
const pods = (name: string) => parseWith(podListSchema, fixture(name), 'RunPod', 'pods').pods;
const NOW = { now: Date.UTC(2026, 10, 23, 14, 0, 0) };
const map = (pod: Parameters<typeof toRunPodInstance>[0]) => toRunPodInstance(pod, NOW);

describe('RunPod parsers against the example bodies', () => {
  it('reads v2 pods: RUNNING with ssh.direct, EXITED without an endpoint and at no cost', () => {
    const [running, exited] = pods('rest-v2.list-pods.json').map(map);
    expect(running).toMatchObject({ id: '7h9k2m4n6p', state: 'running', gpuModel: 'RTX 4090', gpuCount: 1, priceMicrosPerHour: 690_000, region: 'US-KS-2', ssh: { host: '195.26.233.3', port: 34446, user: 'root' } });
    expect(running?.createdAt).toBe(Date.parse('2026-08-21T09:18:40Z'));
    expect(exited).toMatchObject({ state: 'stopped', providerStatus: 'EXITED', priceMicrosPerHour: 0 });
    expect(exited?.ssh).toBeUndefined();
  });

  it('reads a v2 create (PROVISIONING, no ssh yet), a get and a stop answer', () => {
    expect(map(parseWith(podSchema, fixture('rest-v2.create-pod.json'), 'R', 'x'))).toMatchObject({ state: 'provisioning', id: '5r7t9y1u3i' });
    expect(map(parseWith(podSchema, fixture('rest-v2.get-pod.json'), 'R', 'x')).state).toBe('running');
    expect(parseWith(actionResultSchema, fixture('rest-v2.pod-action-stop.json'), 'R', 'x')).toMatchObject({ id: '7h9k2m4n6p' });
    expect(parseWith(actionResultSchema, undefined, 'R', 'x')).toBeUndefined();
  });

  it('survives the v1 shapes: bare arrays, desiredStatus, costPerHr, publicIp + portMappings', () => {
    const v1 = pods('rest-v1.list-pods.json').map(map);
    expect(v1.length).toBeGreaterThan(0);
    const one = map(parseWith(podSchema, fixture('rest-v1.get-pod.json'), 'R', 'x'));
    expect(one.providerStatus).toMatch(/^[A-Z]+$/);
    expect(runpodSsh(parseWith(podSchema, { id: 'p', desiredStatus: 'RUNNING', publicIp: '203.0.113.9', portMappings: { '22': 10341 } }, 'R', 'x'))).toEqual({ host: '203.0.113.9', port: 10341, user: 'root' });
    expect(runpodState(parseWith(podSchema, { id: 'p', desiredStatus: 'RUNNING', portMappings: {} }, 'R', 'x'))).toBe('booting');
    expect(parseWith(podSchema, { id: 'p', desiredStatus: 'RUNNING', costPerHr: '0.74' }, 'R', 'x').costPerHr).toBe(0.74);
  });

  it('dates the state: v2 startedAt while running, v1 lastStatusChange for a start or a stop', () => {
    const [running, exited] = pods('rest-v2.list-pods.json').map(map);
    expect(running?.stateSince).toBe(Date.parse('2026-08-21T09:20:11Z'));
    expect(exited).not.toHaveProperty('stateSince'); // v2 says nothing about when it stopped (startedAt: null)
    const v1 = pods('rest-v1.list-pods.json').map(map);
    // The fixtures' own texts: "Rented by User: Fri Aug 21 2026 09:20:11 GMT+0000 (...)", "Exited by user: Thu Aug 20 2026 22:05:40 ...".
    expect(v1.map((i) => [i.state, i.stateSince])).toEqual([
      ['running', Date.UTC(2026, 7, 21, 9, 20, 11)],
      ['stopped', Date.UTC(2026, 7, 20, 22, 5, 40)],
    ]);
    expect(parseLastStatusChange('Exited by user: Thu Aug 20 2026 22:05:40 GMT+0200 (Central European Summer Time)')).toEqual({ verb: 'Exited by user', at: Date.UTC(2026, 7, 20, 20, 5, 40) });
  });

  it('ignores a state time it cannot believe, and never fails the listing over it', () => {
    const hostile: unknown[] = [
      '', 'Rented by User', 'Rented by User: yesterday', 'Rented by User: 1', 'Rented by User: Fri Feb 31 2026 09:20:11 GMT+0000',
      'Rented by User: Fri Aug 21 2026 29:20:11 GMT+0000', 'Rented by User: Fri Foo 21 2026 09:20:11 GMT+0000', `${'x'.repeat(300)}: Fri Aug 21 2026 09:20:11 GMT+0000`,
      'Rented by User: Fri Aug 21 2099 09:20:11 GMT+0000', // the future
      'Rented by User: Fri Aug 21 2020 09:20:11 GMT+0000', // before the pod was created
      'Exited by user: Thu Aug 20 2026 22:05:40 GMT+0000', // contradicts RUNNING: older than the start
      42, null, { at: 1 }, ['Rented'],
    ];
    for (const lastStatusChange of hostile) {
      const pod = parseWith(podSchema, { id: 'p', desiredStatus: 'RUNNING', runtime: {}, createdAt: '2026-08-21T09:18:40Z', lastStatusChange, startedAt: lastStatusChange }, 'R', 'x');
      const mapped = map(pod);
      expect(mapped.state).toBe('running');
      expect(mapped).not.toHaveProperty('stateSince');
    }
    for (const startedAt of ['2026-08-21 09:20:11', '2026-08-21T09:20:11', '2026-13-01T00:00:00Z', '2099-08-21T09:20:11Z', 1755768011000]) {
      expect(parseWith(podSchema, { id: 'p', status: 'RUNNING', startedAt }, 'R', 'x')).toMatchObject({ id: 'p' });
      expect(map(parseWith(podSchema, { id: 'p', status: 'RUNNING', startedAt }, 'R', 'x')).stateSince).toBeUndefined();
    }
    // startedAt dates only a running pod: an EXITED pod that still carries it is not "stopped since its start".
    expect(map(parseWith(podSchema, { id: 'p', status: 'EXITED', startedAt: '2026-08-21T09:20:11Z' }, 'R', 'x')).stateSince).toBeUndefined();
    expect(parseIsoTime('2026-08-21T11:20:11.5+02:00')).toBe(Date.UTC(2026, 7, 21, 9, 20, 11));
  });

  it('falls back to runtime ports when ssh.direct is missing', () => {
    const pod = parseWith(podSchema, { id: 'p', status: 'RUNNING', ssh: { proxy: null, direct: null }, runtime: { ports: [{ private: 8888, public: null, type: 'http', ip: null }, { private: 22, public: 40022, type: 'tcp', ip: '198.51.100.7' }] } }, 'R', 'x');
    expect(runpodSsh(pod)).toEqual({ host: '198.51.100.7', port: 40022, user: 'root' });
  });

  it('maps every status and survives new ones', () => {
    const states = ['PROVISIONING', 'STARTING', 'RUNNING', 'EXITED', 'ERROR', 'TERMINATED', 'HIBERNATING'].map((status) => runpodState({ id: 'p', status, runtime: {} }));
    expect(states).toEqual(['provisioning', 'booting', 'running', 'stopped', 'error', 'terminated', 'unknown']);
  });

  it('reads the catalog into offers with per-GPU prices, skipping clouds that do not sell the type', () => {
    const gpus = parseWith(catalogGpusResponse, fixture('rest-v2.catalog-gpus.json'), 'R', 'x').gpus;
    const spot = parseWith(spotPricesData, parseWith(graphqlEnvelope, fixture('graphql.gpu-types.json'), 'R', 'x').data, 'R', 'x').gpuTypes;
    const secure = toRunPodOffers('SECURE', gpus, spot);
    expect(secure.map((o) => [o.region, o.available, o.priceMicrosPerHour, o.spotPriceMicrosPerHour])).toEqual([
      ['US-KS-2', true, 690_000, 290_000],
      ['EU-CZ-1', true, 690_000, 290_000],
      [undefined, false, 2_690_000, 1_750_000],
    ]);
    expect(toRunPodOffers('COMMUNITY', gpus).map((o) => o.instanceType)).toEqual(['NVIDIA GeForce RTX 4090', 'NVIDIA GeForce RTX 4090']);
  });

  it('reads SSH keys, GraphQL errors and problem JSON', () => {
    expect(parseWith(sshKeysResponse, fixture('rest-v2.get-ssh-keys.json'), 'R', 'x').keys).toHaveLength(2);
    expect(parseWith(graphqlEnvelope, fixture('graphql.error-no-capacity.json'), 'R', 'x').errors?.[0]?.extensions?.code).toBe('RUNPOD');
    const conflict = { status: 409, headers: {}, text: JSON.stringify(fixture('rest-v2.error-conflict.json')) };
    expect(runpodErrors.decode(conflict).detail).toContain('Conflict');
    expect(runpodErrors.decode({ status: 400, headers: {}, text: JSON.stringify(fixture('rest-v1.error.json')) }).detail).toBeTruthy();
    expect(runpodErrors.reason?.(400, undefined, { method: 'POST', path: '/v2/pods' })).toBe('capacity');
    expect(runpodErrors.reason?.(400, undefined, { method: 'GET', path: '/v2/catalog/gpus' })).toBeUndefined();
  });

  it('round-trips offer ids with spaces in GPU names', () => {
    const id = runpodOfferId('SECURE', 'NVIDIA GeForce RTX 4090', 'US-KS-2');
    expect(parseRunPodOfferId(id)).toEqual({ cloud: 'SECURE', gpuId: 'NVIDIA GeForce RTX 4090', dataCenterId: 'US-KS-2' });
    expect(parseRunPodOfferId(runpodOfferId('COMMUNITY', 'NVIDIA A40'))).toEqual({ cloud: 'COMMUNITY', gpuId: 'NVIDIA A40' });
    expect(parseRunPodOfferId('gpu_1x_a10@us-west-1')).toBeUndefined();
    expect(shortGpuName('NVIDIA H100 80GB HBM3')).toBe('H100 80GB HBM3');
  });
});
