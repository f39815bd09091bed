import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../core/http/httpFetch';
import { parseWith } from '../../core/http/validate';
import { toEc2Error } from './errors';
import { HttpFetchHandler } from './httpHandler';
import { ec2OfferId, parseEc2OfferId, parsePriceListItem, parseTransitionTime, toEc2Instance, toEc2Offers, toTypeInfo } from './mapping';
import { parseAwsKey } from './provider';
import { describeInstancesOutput, describeInstanceTypesOutput, describeKeyPairsOutput, getProductsOutput, runInstancesOutput, spotPriceHistoryOutput } from './schemas';

const DATE_KEYS = new Set(['LaunchTime', 'CreateTime', 'Timestamp', 'AttachTime', 'UsageOperationUpdateTime']);
/** The recorded SDK outputs store Dates as ISO strings; the SDK hands Dates over, so revive them. */
const sdk = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/providers/aws-ec2/${name}`, import.meta.url), 'utf8'), (key, value: unknown) => (DATE_KEYS.has(key) && typeof value === 'string' ? new Date(value) : value));

const NOW = Date.UTC(2026, 10, 23, 14, 0, 0);
const ctx = (over: Partial<Parameters<typeof toEc2Instance>[1]> = {}) => ({ types: new Map(), onDemand: new Map(), spot: new Map(), sshUser: 'ubuntu', sshPort: 22, now: NOW, ...over });

describe('EC2 parsers against the recorded SDK outputs', () => {
  it('flattens reservations; running has an endpoint, stopped has none and bills no compute', () => {
    const out = parseWith(describeInstancesOutput, sdk('DescribeInstances.sdk-output.json'), 'EC2', 'x');
    const instances = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => toEc2Instance(i, ctx({ onDemand: new Map([['g5.xlarge', 1_006_000], ['g6.2xlarge', 978_000]]) })));
    expect(instances.map((i) => [i.id, i.state, i.priceMicrosPerHour, i.ssh?.host])).toEqual([
      ['i-0abc1234def567890', 'running', 1_006_000, '54.210.33.17'],
      ['i-0def9876abc543210', 'stopped', 0, undefined],
    ]);
  });

  it('dates the state: LaunchTime (the last start) while running, StateTransitionReason once stopped', () => {
    const out = parseWith(describeInstancesOutput, sdk('DescribeInstances.sdk-output.json'), 'EC2', 'x');
    const [running, stopped] = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => toEc2Instance(i, ctx()));
    expect(running?.stateSince).toBe(Date.parse('2026-08-21T09:14:05.000Z'));
    // The fixture's own text: "User initiated (2026-08-20 22:01:44 GMT)".
    expect(stopped?.stateSince).toBe(Date.UTC(2026, 7, 20, 22, 1, 44));
    const base = { InstanceId: 'i-1', InstanceType: 'g5.xlarge', LaunchTime: new Date('2026-08-20T18:40:12.000Z') };
    const terminated = toEc2Instance({ ...base, State: { Name: 'terminated' }, StateTransitionReason: 'User initiated (2026-08-21 07:00:00 GMT)' }, ctx());
    expect(terminated.stateSince).toBe(Date.UTC(2026, 7, 21, 7, 0, 0));
    // A running instance is dated by its LaunchTime even where a stale reason text is still there.
    expect(toEc2Instance({ ...base, State: { Name: 'running' }, StateTransitionReason: 'User initiated (2026-08-20 22:01:44 GMT)' }, ctx()).stateSince).toBe(base.LaunchTime.getTime());
  });

  it('ignores a state time it cannot believe, and never fails the listing over it', () => {
    const base = { InstanceId: 'i-1', InstanceType: 'g5.xlarge', State: { Name: 'stopped' }, LaunchTime: new Date('2026-08-20T18:40:12.000Z') };
    const hostile: unknown[] = [
      '', 'Server.SpotInstanceTermination: Spot instance termination', 'User initiated', 'User initiated (2026-02-31 10:00:00 GMT)',
      'User initiated (2026-08-20 25:00:00 GMT)', 'User initiated (2099-01-01 00:00:00 GMT)', 'User initiated (2026-08-19 00:00:00 GMT)',
      'User initiated (2026-08-20 22:01:44 PST)', `User initiated (${'9'.repeat(400)})`, 42, null, { at: 1 }, ['2026'],
    ];
    for (const reason of hostile) {
      const out = parseWith(describeInstancesOutput, { Reservations: [{ Instances: [{ ...base, StateTransitionReason: reason }] }] }, 'EC2', 'x');
      const parsed = out.Reservations?.[0]?.Instances?.[0];
      if (!parsed) throw new Error('the listing lost the instance');
      const mapped = toEc2Instance(parsed, ctx());
      expect(mapped.state).toBe('stopped');
      expect(mapped).not.toHaveProperty('stateSince');
    }
    // In the future by our clock (a wrong provider clock): not believed.
    expect(toEc2Instance({ ...base, State: { Name: 'running' }, LaunchTime: new Date(NOW + 60_000) }, ctx()).stateSince).toBeUndefined();
    expect(toEc2Instance({ ...base, State: { Name: 'running' }, LaunchTime: new Date(Number.NaN) }, ctx()).stateSince).toBeUndefined();
    expect(parseTransitionTime('User initiated (2026-08-20 22:01:44 GMT)')).toBe(Date.UTC(2026, 7, 20, 22, 1, 44));
  });

  it('reads a launch (pending, no IP) and maps every state, unknown ones included', () => {
    const launched = parseWith(runInstancesOutput, sdk('RunInstances.sdk-output.json'), 'EC2', 'x').Instances[0];
    expect(launched && toEc2Instance(launched, ctx())).toMatchObject({ state: 'booting', providerStatus: 'pending' });
    const base = { InstanceId: 'i-1', InstanceType: 'g5.xlarge' };
    const states = ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated', 'hibernating'].map((Name) => toEc2Instance({ ...base, State: { Name } }, ctx()).state);
    expect(states).toEqual(['booting', 'running', 'stopping', 'stopped', 'terminating', 'terminated', 'unknown']);
    expect(toEc2Instance({ ...base, State: { Code: 80 } }, ctx()).state).toBe('stopped');
    // A launched spot instance is a one-time request: AWS refuses to stop it, so it says so itself.
    expect(toEc2Instance({ ...base, State: { Name: 'running' }, InstanceLifecycle: 'spot' }, ctx()).canStop).toBe(false);
    expect(toEc2Instance({ ...base, State: { Name: 'running' } }, ctx())).not.toHaveProperty('canStop');
    expect(toEc2Instance({ ...base, State: { Name: 'running' }, PublicDnsName: 'ec2-x.compute-1.amazonaws.com' }, ctx()).ssh?.host).toBe('ec2-x.compute-1.amazonaws.com');
  });

  it('reads GPU facts, spot prices (decimal strings), key pairs and price list items', () => {
    const t = parseWith(describeInstanceTypesOutput, sdk('DescribeInstanceTypes.sdk-output.json'), 'EC2', 'x').InstanceTypes?.[0];
    expect(t && toTypeInfo(t)).toEqual({ gpuModel: 'A10G', gpuCount: 1, vramGiB: 24, vcpus: 4, memoryGiB: 16, ebsRoot: true, spotSupported: true });
    expect(parseWith(spotPriceHistoryOutput, sdk('DescribeSpotPriceHistory.sdk-output.json'), 'EC2', 'x').SpotPriceHistory?.map((s) => s.SpotPrice)).toEqual([0.4123, 0.3987]);
    expect(parseWith(describeKeyPairsOutput, sdk('DescribeKeyPairs.sdk-output.json'), 'EC2', 'x').KeyPairs?.[0]?.KeyName).toBe('gpu-ext-key');
    const list = parseWith(getProductsOutput, sdk('pricing-GetProducts.sdk-output.json'), 'EC2', 'x').PriceList ?? [];
    expect(list.map(parsePriceListItem)).toEqual([{ instanceType: 'g5.xlarge', micros: 1_006_000, location: 'US East (N. Virginia)' }]);
    expect(() => parseWith(spotPriceHistoryOutput, { SpotPriceHistory: [{ InstanceType: 'g5.xlarge', SpotPrice: 'cheap' }] }, 'EC2', 'spot price list')).toThrow(/SpotPriceHistory\[0\]\.SpotPrice/);
  });

  it('makes an on-demand and a non-stoppable spot offer per GPU type; no price → unavailable', () => {
    const g5 = { gpuModel: 'A10G', gpuCount: 1, vramGiB: 24, ebsRoot: true, spotSupported: true };
    const types = new Map([['g5.xlarge', g5], ['m5.large', { ...g5, gpuCount: 0 }], ['p5.48xlarge', { ...g5, gpuModel: 'H100', gpuCount: 8 }]]);
    const offers = toEc2Offers('us-east-1', undefined, types, new Map([['g5.xlarge', 1_006_000]]), new Map([['g5.xlarge', 398_700]]));
    expect(offers.map((o) => [o.id, o.available, o.priceMicrosPerHour, o.canStop])).toEqual([
      ['us-east-1/g5.xlarge/on-demand', true, 1_006_000, true],
      ['us-east-1/g5.xlarge/spot', true, 398_700, false],
      ['us-east-1/p5.48xlarge/on-demand', false, 0, true],
    ]);
    // Only the separate spot offer launches interruptible; the on-demand one merely shows the spot price.
    expect(offers.map((o) => o.spot === true)).toEqual([false, true, false]);
    expect(parseEc2OfferId(ec2OfferId('eu-west-1', 'g6e.12xlarge', 'spot'))).toEqual({ region: 'eu-west-1', instanceType: 'g6e.12xlarge', market: 'spot' });
    expect(parseEc2OfferId('21874512')).toBeUndefined();
  });

  it('classifies SDK errors by code, never by text; a body the SDK could not read is invalidResponse', () => {
    const service = (name: string, status: number) => Object.assign(new Error('m'), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
    expect(toEc2Error(service('AuthFailure', 401), 'x').reason).toBe('auth');
    expect(toEc2Error(service('InvalidInstanceID.NotFound', 400), 'x').reason).toBe('notFound');
    expect(toEc2Error(service('VcpuLimitExceeded', 400), 'x').reason).toBe('quota');
    expect(toEc2Error(service('SomethingNew', 503), 'x')).toMatchObject({ reason: 'unavailable', info: { retryable: true } });
    expect(toEc2Error(service('IncorrectInstanceState', 400), 'x')).toMatchObject({ reason: 'remoteFailed', info: { retryable: false } });
    expect(toEc2Error(Object.assign(new Error('Deserialization error'), { $response: {} }), 'x').reason).toBe('invalidResponse');
  });

  it('reads the AWS key from one secret string; a malformed one is an auth error', () => {
    expect(parseAwsKey('AKIA1:secret')).toEqual({ accessKeyId: 'AKIA1', secretAccessKey: 'secret' });
    expect(parseAwsKey('AKIA1:secret:tok:en')).toEqual({ accessKeyId: 'AKIA1', secretAccessKey: 'secret', sessionToken: 'tok:en' });
    expect(() => parseAwsKey('only-one-part')).toThrow(expect.objectContaining({ reason: 'auth' }));
  });

  it('sends the signed SDK request through HttpFetch as it is, minus hop-by-hop headers', async () => {
    const sent: HttpRequest[] = [];
    const handler = new HttpFetchHandler(async (r) => (sent.push(r), { status: 200, headers: { 'content-type': 'text/xml' }, text: '<x/>' }), 1234);
    const { response } = await handler.handle({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 8080, path: '/', query: { a: 'b', c: ['d', 'e'] }, headers: { host: 'x', 'content-length': '3', authorization: 'AWS4-HMAC-SHA256 k' }, body: 'A=1' });
    expect(sent[0]).toEqual({ method: 'POST', url: 'http://127.0.0.1:8080/?a=b&c=d&c=e', headers: { authorization: 'AWS4-HMAC-SHA256 k' }, body: 'A=1', timeoutMs: 1234 });
    expect(response.statusCode).toBe(200);
    expect(new TextDecoder().decode(response.body as Uint8Array)).toBe('<x/>');
  });
});
