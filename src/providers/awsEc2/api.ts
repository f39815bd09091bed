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
  type Filter,
  type _InstanceType,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import type { z } from 'zod';
import { throwIfAborted } from '../../core/http/jsonClient';
import { parseWith } from '../../core/http/validate';
import type { Logger } from '../../core/logger';
import { DEFAULT_TIMEOUT_MS, type ProviderDeps } from '../../core/providers/providerDeps';
import { defaultRetryPolicy, nextRetryDelayMs, type RetryPolicy } from '../../core/providers/retryPolicy';
import { EC2_NAME, toEc2Error } from './errors';
import { HttpFetchHandler } from './httpHandler';
import {
  describeInstancesOutput,
  describeInstanceTypesOutput,
  describeKeyPairsOutput,
  describeOfferingsOutput,
  getProductsOutput,
  importKeyPairOutput,
  runInstancesOutput,
  spotPriceHistoryOutput,
  startOutput,
  stopOutput,
  terminateOutput,
  type Ec2Instance,
  type Ec2InstanceType,
} from './schemas';

/** Static credentials for SigV4, read from SecretStorage by the caller. Never logged. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface Ec2ApiConfig {
  readonly region: string;
  /** EC2 endpoint override (a proxy or the fake); https://ec2.<region>.amazonaws.com when absent. */
  readonly endpoint?: string;
  /** The Pricing API lives only in us-east-1 (and ap-south-1); override for the fake. */
  readonly pricingEndpoint?: string;
  readonly credentials: () => Promise<AwsCredentials>;
}

/** A page cap so a server that keeps handing out tokens cannot keep us here forever. */
const MAX_PAGES = 50;

/**
 * EC2 and Pricing through the AWS SDK, with the HTTP port as the request handler. The SDK's own retries are off
 * (maxAttempts 1): the project's policy retries idempotent calls with injected time, and RunInstances gets exactly
 * one attempt, so a launch is never sent twice.
 */
export class Ec2Api {
  private readonly ec2: EC2Client;
  private readonly pricing: PricingClient;
  private readonly retry: RetryPolicy;
  private readonly logger: Logger;

  constructor(
    private readonly deps: ProviderDeps,
    config: Ec2ApiConfig,
  ) {
    const requestHandler = new HttpFetchHandler(deps.http, deps.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const credentials = async () => ({ ...(await config.credentials()) });
    this.ec2 = new EC2Client({ region: config.region, maxAttempts: 1, requestHandler, credentials, ...(config.endpoint ? { endpoint: config.endpoint } : {}) });
    this.pricing = new PricingClient({ region: 'us-east-1', maxAttempts: 1, requestHandler, credentials, ...(config.pricingEndpoint ? { endpoint: config.pricingEndpoint } : {}) });
    this.retry = deps.retry ?? defaultRetryPolicy;
    this.logger = deps.logger.child('ec2');
  }

  /** Follows NextToken; an empty `<nextToken/>` parses to "" and also ends the listing (providers.md §4.1). */
  async instances(filters: Filter[], signal?: AbortSignal): Promise<Ec2Instance[]> {
    const pages = await this.paged('instance list', describeInstancesOutput, signal, (NextToken, s) => this.ec2.send(new DescribeInstancesCommand({ Filters: filters, MaxResults: 100, NextToken }), { abortSignal: s }));
    return pages.flatMap((p) => (p.Reservations ?? []).flatMap((r) => r.Instances ?? []));
  }

  async instance(id: string, signal?: AbortSignal): Promise<Ec2Instance | undefined> {
    const out = await this.call('instance', true, describeInstancesOutput, signal, (s) => this.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }), { abortSignal: s }));
    return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === id);
  }

  async offeredTypes(patterns: readonly string[], signal?: AbortSignal): Promise<string[]> {
    const input = { LocationType: 'region' as const, Filters: [{ Name: 'instance-type', Values: [...patterns] }] };
    const pages = await this.paged('instance type offering list', describeOfferingsOutput, signal, (NextToken, s) => this.ec2.send(new DescribeInstanceTypeOfferingsCommand({ ...input, NextToken }), { abortSignal: s }));
    return [...new Set(pages.flatMap((p) => (p.InstanceTypeOfferings ?? []).map((o) => o.InstanceType)))];
  }

  /** DescribeInstanceTypes takes at most 100 names per call. */
  async instanceTypes(types: readonly string[], signal?: AbortSignal): Promise<Ec2InstanceType[]> {
    const out: Ec2InstanceType[] = [];
    for (let i = 0; i < types.length; i += 100) {
      const batch = types.slice(i, i + 100);
      const pages = await this.paged('instance type list', describeInstanceTypesOutput, signal, (NextToken, s) => this.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: instanceTypeNames(batch), NextToken }), { abortSignal: s }));
      out.push(...pages.flatMap((p) => p.InstanceTypes ?? []));
    }
    return out;
  }

  /** The latest Linux spot price per type and AZ (StartTime = now returns only the current price). */
  async spotPrices(types: readonly string[], signal?: AbortSignal): Promise<{ InstanceType: string; SpotPrice: number; AvailabilityZone?: string }[]> {
    const input = { InstanceTypes: instanceTypeNames(types), ProductDescriptions: ['Linux/UNIX'], StartTime: new Date(this.deps.clock.now()) };
    const pages = await this.paged('spot price list', spotPriceHistoryOutput, signal, (NextToken, s) => this.ec2.send(new DescribeSpotPriceHistoryCommand({ ...input, NextToken }), { abortSignal: s }));
    return pages.flatMap((p) => p.SpotPriceHistory ?? []);
  }

  /** On-demand Linux, shared tenancy, no pre-installed software, ordinary capacity: one SKU per type (providers.md §4.2). */
  async priceList(region: string, types: readonly string[], signal?: AbortSignal): Promise<string[]> {
    const term = (Field: string, Value: string) => ({ Type: 'TERM_MATCH' as const, Field, Value });
    const Filters = [
      { Type: 'ANY_OF' as const, Field: 'instanceType', Value: types.join(',') },
      term('regionCode', region),
      term('operatingSystem', 'Linux'),
      term('tenancy', 'Shared'),
      term('preInstalledSw', 'NA'),
      term('capacitystatus', 'Used'),
    ];
    const pages = await this.paged('price list', getProductsOutput, signal, (NextToken, s) => this.pricing.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', FormatVersion: 'aws_v1', Filters, MaxResults: 100, NextToken }), { abortSignal: s }));
    return pages.flatMap((p) => p.PriceList ?? []);
  }

  /** One attempt only: a retried RunInstances after a lost answer could start a second machine. */
  async run(input: RunInstancesCommandInput, signal?: AbortSignal): Promise<Ec2Instance> {
    const out = await this.call('launch result', false, runInstancesOutput, signal, (s) => this.ec2.send(new RunInstancesCommand(input), { abortSignal: s }));
    return out.Instances[0] as Ec2Instance;
  }

  async stop(id: string, signal?: AbortSignal): Promise<void> {
    await this.call('stop result', true, stopOutput, signal, (s) => this.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }), { abortSignal: s }));
  }

  async start(id: string, signal?: AbortSignal): Promise<void> {
    await this.call('start result', true, startOutput, signal, (s) => this.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }), { abortSignal: s }));
  }

  async terminate(id: string, signal?: AbortSignal): Promise<void> {
    await this.call('terminate result', true, terminateOutput, signal, (s) => this.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }), { abortSignal: s }));
  }

  async keyPairs(signal?: AbortSignal): Promise<z.infer<typeof describeKeyPairsOutput>['KeyPairs']> {
    return (await this.call('key pair list', true, describeKeyPairsOutput, signal, (s) => this.ec2.send(new DescribeKeyPairsCommand({ IncludePublicKey: true }), { abortSignal: s }))).KeyPairs;
  }

  /** Not retried: after a lost answer the resend would fail as a duplicate and hide the first success. */
  importKeyPair(name: string, publicKey: string, signal?: AbortSignal): Promise<z.infer<typeof importKeyPairOutput>> {
    const input = { KeyName: name, PublicKeyMaterial: new TextEncoder().encode(publicKey) };
    return this.call('imported key pair', false, importKeyPairOutput, signal, (s) => this.ec2.send(new ImportKeyPairCommand(input), { abortSignal: s }));
  }

  private async paged<T extends { NextToken?: string | undefined }>(
    what: string,
    schema: z.ZodType<T>,
    signal: AbortSignal | undefined,
    send: (token: string | undefined, signal: AbortSignal | undefined) => Promise<unknown>,
  ): Promise<T[]> {
    const pages: T[] = [];
    let token: string | undefined;
    do {
      const page: T = await this.call(what, true, schema, signal, (s) => send(token, s));
      pages.push(page);
      token = page.NextToken || undefined;
    } while (token !== undefined && pages.length < MAX_PAGES);
    return pages;
  }

  /** One SDK call with the project's retry policy, typed errors and validation of what the SDK parsed. */
  private async call<T>(what: string, idempotent: boolean, schema: z.ZodType<T>, signal: AbortSignal | undefined, send: (signal: AbortSignal | undefined) => Promise<unknown>): Promise<T> {
    const policy: RetryPolicy = idempotent ? this.retry : { ...this.retry, maxAttempts: 1 };
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      let output: unknown;
      try {
        output = await send(signal);
      } catch (e) {
        const error = toEc2Error(e, what);
        const delay = nextRetryDelayMs(policy, error, attempt, this.deps.random);
        if (delay === undefined) throw error;
        this.logger.debug(`${what}: ${error.reason}; attempt ${attempt + 1}/${policy.maxAttempts} in ${delay} ms`);
        await this.deps.sleep(delay, signal);
        continue;
      }
      return parseWith(schema, output, EC2_NAME, what);
    }
  }
}

/**
 * The SDK types instance types as a closed union of today's names; AWS adds new ones monthly and the offerings call
 * returns them as plain strings, so the names pass through unchanged.
 */
export function instanceTypeNames(types: readonly string[]): _InstanceType[] {
  return types as _InstanceType[];
}
