import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWith } from '../../core/http/validate';
import { lambdaState, parseGpuDescription, parseLambdaOfferId, toLambdaInstance, toLambdaOffers } from './mapping';
import { errorBody, instanceResponse, instancesResponse, instanceTypesResponse, launchResponse, restartResponse, sshKeysResponse, terminateResponse } from './schemas';
import { lambdaErrors } from './api';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../test/fixtures/providers/lambda/${name}`, import.meta.url), 'utf8'));

describe('Lambda parsers against the example bodies', () => {
  it('reads instance types into offers: one per region with capacity, sold-out types once and unavailable', () => {
    const offers = toLambdaOffers(parseWith(instanceTypesResponse, fixture('list-instance-types.json'), 'L', 'types').data);
    expect(offers.map((o) => [o.id, o.available, o.priceMicrosPerHour])).toEqual([
      ['gpu_1x_a10@us-west-1', true, 860_000],
      ['gpu_1x_a10@us-east-1', true, 860_000],
      ['gpu_1x_h100_pcie', false, 2_490_000],
      ['gpu_8x_h100_sxm5@us-south-2', true, 23_920_000],
    ]);
    expect(offers[3]).toMatchObject({ gpuModel: 'H100', vramGiB: 80, gpuCount: 8, regionName: 'Texas, USA', vcpus: 208, canStop: false });
  });

  it('reads instances: active with ip → running with ubuntu@ip:22; booting without ip → no endpoint', () => {
    const [active, booting] = parseWith(instancesResponse, fixture('list-instances.json'), 'L', 'list').data.map((i) => toLambdaInstance(i));
    expect(active).toMatchObject({ id: '0920582c7ff041399e34823a0be62549', name: 'gpu-ext-dev-1', state: 'running', gpuModel: 'A10', gpuCount: 1, priceMicrosPerHour: 860_000, region: 'us-west-1', ssh: { host: '198.51.100.23', port: 22, user: 'ubuntu' } });
    expect(booting).toMatchObject({ state: 'booting', providerStatus: 'booting' });
    expect(booting?.ssh).toBeUndefined();
    expect(toLambdaInstance(parseWith(instanceResponse, fixture('get-instance.json'), 'L', 'i').data, { port: 2222, user: 'me' }).ssh).toEqual({ host: '198.51.100.23', port: 2222, user: 'me' });
  });

  it('reads launch, terminate, restart and SSH key bodies', () => {
    expect(parseWith(launchResponse, fixture('launch.json'), 'L', 'x').data.instance_ids).toEqual(['1c5a3f0e9b2d4e6f8a7b6c5d4e3f2a1b']);
    expect(toLambdaInstance(parseWith(terminateResponse, fixture('terminate.json'), 'L', 'x').data.terminated_instances[0]!).state).toBe('terminating');
    expect(parseWith(restartResponse, fixture('restart.json'), 'L', 'x').data.restarted_instances).toHaveLength(1);
    expect(parseWith(sshKeysResponse, fixture('list-ssh-keys.json'), 'L', 'x').data[0]?.name).toBe('gpu-ext-3f9a1c2b7d4e5f60');
  });

  it('reads error codes, never the message', () => {
    for (const [name, code] of [
      ['error-invalid-api-key.json', 'global/invalid-api-key'],
      ['error-insufficient-capacity.json', 'instance-operations/launch/insufficient-capacity'],
      ['error-not-found.json', 'global/object-does-not-exist'],
    ] as const) {
      expect(errorBody.parse(fixture(name)).error.code).toBe(code);
      expect(lambdaErrors.decode({ status: 400, headers: {}, text: JSON.stringify(fixture(name)) }).code).toBe(code);
    }
    const call = { method: 'POST' as const, path: '/x' };
    expect(lambdaErrors.reason?.(400, 'instance-operations/launch/insufficient-capacity', call)).toBe('capacity');
    expect(lambdaErrors.reason?.(400, 'global/quota-exceeded', call)).toBe('quota');
    expect(lambdaErrors.reason?.(503, 'provider/internal-unavailable', call)).toBe('unavailable');
    expect(lambdaErrors.reason?.(429, undefined, call)).toBeUndefined();
    expect(lambdaErrors.decode({ status: 429, headers: {}, text: '' })).toEqual({ detail: '' });
  });

  it('maps every documented status and survives new ones', () => {
    expect(['booting', 'active', 'unhealthy', 'terminating', 'terminated', 'preempted', 'hibernating'].map(lambdaState)).toEqual([
      'booting',
      'running',
      'error',
      'terminating',
      'terminated',
      'terminated',
      'unknown',
    ]);
  });

  it('parses GPU descriptions and offer ids', () => {
    expect(parseGpuDescription('A10 (24 GB PCIe)')).toEqual({ model: 'A10', vramGiB: 24 });
    expect(parseGpuDescription('GH200')).toEqual({ model: 'GH200' });
    expect(parseLambdaOfferId('gpu_1x_a10@us-west-1')).toEqual({ typeName: 'gpu_1x_a10', region: 'us-west-1' });
    expect(parseLambdaOfferId('gpu_1x_a10')).toEqual({ typeName: 'gpu_1x_a10' });
  });
});
