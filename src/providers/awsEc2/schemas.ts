import { z } from 'zod';

// What @aws-sdk/client-ec2 and client-pricing return (providers.md §4.2), validated again at run time: the SDK's
// types make every member optional, and an XML body missing a member parses to an object without it. Each schema
// names only what we read; zod drops the rest ($metadata included).

/** AWS prices are decimal strings ("0.412300", "1.0060000000"); parsed once, here. */
export const decimalDollars = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal dollar amount').transform(Number);

const tag = z.object({ Key: z.string().optional(), Value: z.string().optional() });

export const ec2InstanceSchema = z.object({
  InstanceId: z.string().min(1),
  InstanceType: z.string().min(1),
  State: z.object({ Code: z.number().int().optional(), Name: z.string().optional() }),
  PublicIpAddress: z.string().optional(),
  PublicDnsName: z.string().optional(),
  KeyName: z.string().optional(),
  LaunchTime: z.date().optional(),
  Placement: z.object({ AvailabilityZone: z.string().optional() }).optional(),
  Tags: z.array(tag).optional(),
  /** 'spot' | 'capacity-block' | absent (on-demand). */
  InstanceLifecycle: z.string().optional(),
  RootDeviceType: z.string().optional(),
  StateReason: z.object({ Code: z.string().optional(), Message: z.string().optional() }).optional(),
  /** Free text, "User initiated (2026-08-20 22:01:44 GMT)" after a stop; judged in mapping, never fails a listing. */
  StateTransitionReason: z.unknown().optional(),
});

export const describeInstancesOutput = z.object({
  Reservations: z.array(z.object({ Instances: z.array(ec2InstanceSchema).optional() })).optional(),
  NextToken: z.string().optional(),
});

export const runInstancesOutput = z.object({ Instances: z.array(ec2InstanceSchema).min(1) });

const stateChange = z.array(z.object({ InstanceId: z.string(), CurrentState: z.object({ Name: z.string().optional() }).optional() }));
export const stopOutput = z.object({ StoppingInstances: stateChange.optional() });
export const startOutput = z.object({ StartingInstances: stateChange.optional() });
export const terminateOutput = z.object({ TerminatingInstances: stateChange.optional() });

export const ec2InstanceTypeSchema = z.object({
  InstanceType: z.string().min(1),
  VCpuInfo: z.object({ DefaultVCpus: z.number().int().optional() }).optional(),
  MemoryInfo: z.object({ SizeInMiB: z.number().optional() }).optional(),
  GpuInfo: z
    .object({
      Gpus: z.array(z.object({ Name: z.string(), Manufacturer: z.string().optional(), Count: z.number().int().nonnegative(), MemoryInfo: z.object({ SizeInMiB: z.number() }).optional() })).optional(),
      TotalGpuMemoryInMiB: z.number().optional(),
    })
    .optional(),
  SupportedUsageClasses: z.array(z.string()).optional(),
  SupportedRootDeviceTypes: z.array(z.string()).optional(),
});

export const describeInstanceTypesOutput = z.object({ InstanceTypes: z.array(ec2InstanceTypeSchema).optional(), NextToken: z.string().optional() });

export const describeOfferingsOutput = z.object({
  InstanceTypeOfferings: z.array(z.object({ InstanceType: z.string(), Location: z.string().optional() })).optional(),
  NextToken: z.string().optional(),
});

export const spotPriceHistoryOutput = z.object({
  SpotPriceHistory: z.array(z.object({ InstanceType: z.string(), AvailabilityZone: z.string().optional(), SpotPrice: decimalDollars })).optional(),
  NextToken: z.string().optional(),
});

/**
 * PriceList elements are JSON *strings*; each is parsed and checked with priceListItem. The SDK hands them over as
 * its LazyJsonString, a `String` object rather than a primitive, so they are unboxed first.
 */
const jsonString = z.preprocess((v) => (v instanceof String ? v.toString() : v), z.string());
export const getProductsOutput = z.object({ PriceList: z.array(jsonString).optional(), NextToken: z.string().optional() });

const priceDimension = z.object({ unit: z.string().optional(), pricePerUnit: z.object({ USD: decimalDollars }) });

export const priceListItem = z.object({
  product: z.object({ attributes: z.object({ instanceType: z.string(), regionCode: z.string().optional(), location: z.string().optional() }) }),
  terms: z.object({ OnDemand: z.record(z.string(), z.object({ priceDimensions: z.record(z.string(), priceDimension) })).optional() }),
});

export const describeKeyPairsOutput = z.object({
  KeyPairs: z.array(z.object({ KeyPairId: z.string().optional(), KeyName: z.string(), KeyFingerprint: z.string().optional(), PublicKey: z.string().optional() })).optional(),
});

export const importKeyPairOutput = z.object({ KeyName: z.string(), KeyPairId: z.string().optional(), KeyFingerprint: z.string().optional() });

export type Ec2Instance = z.infer<typeof ec2InstanceSchema>;
export type Ec2InstanceType = z.infer<typeof ec2InstanceTypeSchema>;
export type Ec2PriceListItem = z.infer<typeof priceListItem>;
