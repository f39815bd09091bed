import { readFileSync } from 'node:fs';
import {
  DescribeInstancesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeKeyPairsCommand,
  DescribeSpotPriceHistoryCommand,
  EC2Client,
  ImportKeyPairCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger';
import { Ec2Api } from '../../../src/providers/awsEc2/api';
import { toEc2Error } from '../../../src/providers/awsEc2/errors';
import { HttpFetchHandler } from '../../../src/providers/awsEc2/httpHandler';
import { ec2StateName, parsePriceListItem, toEc2Instance, toTypeInfo } from '../../../src/providers/awsEc2/mapping';
import { createNodeHttpFetch } from '../../../src/remote/http/nodeHttpFetch';
import { startEc2Fake, type Ec2Fake } from '../../fakes/ec2Fake.mjs';
import { depsFor } from './harness';

const dir = new URL('../../fixtures/providers/aws-ec2/', import.meta.url);
const text = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const sdkOutput = (name: string): unknown => JSON.parse(text(`${name}.sdk-output.json`));
/** What the SDK returned, as the fixture stores it: no $metadata, Dates as ISO strings, no undefined members. */
const asStored = (output: object): unknown => JSON.parse(JSON.stringify({ ...output, $metadata: undefined }));

// The fixture XML bodies, served by the fake EC2 through the project's HttpFetch handler and parsed by the real
// SDK: what comes out must be what the SDK 3.1169.0 returned for the same bytes when the fixtures were recorded.
describe('EC2 wire bodies (fixtures) through the fake, the HttpFetch handler and the real SDK', () => {
  let fake: Ec2Fake;
  let ec2: EC2Client;
  let pricing: PricingClient;

  beforeAll(async () => {
    fake = await startEc2Fake();
    const requestHandler = new HttpFetchHandler(createNodeHttpFetch(), 5_000);
    const common = { region: 'us-east-1', endpoint: fake.url, credentials: fake.credentials, requestHandler, maxAttempts: 1 };
    ec2 = new EC2Client(common);
    pricing = new PricingClient(common);
  });
  afterAll(async () => {
    await fake?.stop();
  });

  const serve = (action: string, status = 200, name = `${action}.xml`) => fake.state.raw.push({ action, status, body: text(name) });

  const cases: [string, () => Promise<object>][] = [
    ['DescribeInstances', () => ec2.send(new DescribeInstancesCommand({}))],
    ['DescribeInstanceTypes', () => ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['g5.xlarge'] }))],
    ['DescribeInstanceTypeOfferings', () => ec2.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone' }))],
    ['DescribeSpotPriceHistory', () => ec2.send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ['g5.xlarge'] }))],
    ['DescribeKeyPairs', () => ec2.send(new DescribeKeyPairsCommand({ IncludePublicKey: true }))],
    ['ImportKeyPair', () => ec2.send(new ImportKeyPairCommand({ KeyName: 'gpu-ext-key', PublicKeyMaterial: new TextEncoder().encode('ssh-ed25519 AAAA x') }))],
    ['RunInstances', () => ec2.send(new RunInstancesCommand({ ImageId: 'ami-0abcdef1234567890', MinCount: 1, MaxCount: 1 }))],
    ['StartInstances', () => ec2.send(new StartInstancesCommand({ InstanceIds: ['i-0abc1234def567890'] }))],
    ['StopInstances', () => ec2.send(new StopInstancesCommand({ InstanceIds: ['i-0abc1234def567890'] }))],
    ['TerminateInstances', () => ec2.send(new TerminateInstancesCommand({ InstanceIds: ['i-0abc1234def567890'] }))],
  ];

  it.each(cases)('%s: the SDK output equals the recorded one', async (action, send) => {
    serve(action);
    expect(asStored(await send())).toEqual(sdkOutput(action));
  });

  it('Pricing GetProducts (JSON 1.1): PriceList strings decode to the recorded item and price', async () => {
    fake.state.injections.push({ method: 'POST', path: '/', status: 200, body: text('pricing-GetProducts.json'), headers: { 'content-type': 'application/x-amz-json-1.1' } });
    const out = await pricing.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' }));
    expect(JSON.parse(String(out.PriceList?.[0]))).toEqual(JSON.parse(text('pricing-GetProducts.PriceList-item.decoded.json')));
    expect(parsePriceListItem(String(out.PriceList?.[0]))).toEqual({ instanceType: 'g5.xlarge', micros: 1_006_000, location: 'US East (N. Virginia)' });
  });

  it('error bodies: InsufficientInstanceCapacity XML → capacity; Pricing ThrottlingException → rateLimited', async () => {
    serve('RunInstances', 500, 'error-InsufficientInstanceCapacity.xml');
    const capacity = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-1', MinCount: 1, MaxCount: 1 })).catch((e: unknown) => e);
    expect(toEc2Error(capacity, 'launch')).toMatchObject({ reason: 'capacity', info: { status: 500, providerCode: 'InsufficientInstanceCapacity', retryable: false } });
    fake.state.injections.push({ method: 'POST', path: '/', status: 400, body: text('pricing-error-ThrottlingException.json'), headers: { 'content-type': 'application/x-amz-json-1.1' } });
    const throttled = await pricing.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' })).catch((e: unknown) => e);
    expect(toEc2Error(throttled, 'price list')).toMatchObject({ reason: 'rateLimited', info: { providerCode: 'ThrottlingException', retryable: true } });
  });

  it('maps what the provider reads from the fixture bodies: instances, types, empty nextToken ends paging', async () => {
    const api = new Ec2Api({ ...depsFor('unused'), logger: silentLogger }, { region: 'us-east-1', endpoint: fake.url, credentials: async () => fake.credentials });
    serve('DescribeInstances');
    const instances = await api.instances([]);
    serve('DescribeInstanceTypes');
    const types = await api.instanceTypes(['g5.xlarge']);
    const g5 = toTypeInfo(types[0] as (typeof types)[number]);
    expect(g5).toEqual({ gpuModel: 'A10G', gpuCount: 1, vramGiB: 24, vcpus: 4, memoryGiB: 16, ebsRoot: true, spotSupported: true });
    const ctx = { types: new Map([['g5.xlarge', g5]]), onDemand: new Map([['g5.xlarge', 1_006_000]]), spot: new Map<string, number>(), sshUser: 'ubuntu', sshPort: 22, now: Date.UTC(2026, 10, 23) };
    expect(instances.map((i) => toEc2Instance(i, ctx))).toEqual([
      { provider: 'ec2', id: 'i-0abc1234def567890', name: 'gpu-ext-dev-1', state: 'running', providerStatus: 'running', gpuModel: 'A10G', gpuCount: 1, priceMicrosPerHour: 1_006_000, createdAt: Date.parse('2026-08-21T09:14:05.000Z'), stateSince: Date.parse('2026-08-21T09:14:05.000Z'), region: 'us-east-1b', ssh: { host: '54.210.33.17', port: 22, user: 'ubuntu' } },
      { provider: 'ec2', id: 'i-0def9876abc543210', name: 'gpu-ext-train-2', state: 'stopped', providerStatus: 'stopped', gpuModel: '', gpuCount: 0, priceMicrosPerHour: 0, createdAt: Date.parse('2026-08-20T18:40:12.000Z'), stateSince: Date.UTC(2026, 7, 20, 22, 1, 44), region: 'us-east-1a' },
    ]);
    // DescribeInstanceTypes.xml carries a nextToken: the follow-up page is the fake's own (empty) answer.
    expect(fake.state.actions.filter((a) => a === 'DescribeInstanceTypes').length).toBeGreaterThanOrEqual(2);
    expect(ec2StateName({ State: { Code: 16 + 256 } })).toBe('running');
  });
});
