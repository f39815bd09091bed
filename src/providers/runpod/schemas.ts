import { z } from 'zod';

// RunPod REST v2 bodies (providers.md §2.2), read so that the deprecated v1 shape (§2.3) also parses: `status`
// or `desiredStatus`, `cost` or `costPerHr` (a number, or the numeric string of the v1 spec example), `ssh.direct`
// or `publicIp` + `portMappings`, `{pods: [...]}` or a bare array. Statuses are strings: a new one maps to 'unknown'.

/** Dollars as RunPod sends them: a number, or a numeric string (v1 spec example "0.74"). */
const dollars = z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]);

const sshTarget = z.object({ host: z.string().min(1), port: z.number().int().positive(), username: z.string().min(1) }).nullish();

const runtimePort = z.object({ private: z.number().int(), public: z.number().int().nullish(), type: z.string().optional(), ip: z.string().nullish() });

export const podSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  status: z.string().optional(),
  desiredStatus: z.string().optional(),
  gpu: z.object({ id: z.string().optional(), count: z.number().int().nonnegative().optional(), displayName: z.string().optional() }).nullish(),
  cost: dollars.nullish(),
  costPerHr: dollars.nullish(),
  dataCenterId: z.string().nullish(),
  ssh: z.object({ proxy: sshTarget, direct: sshTarget }).nullish(),
  runtime: z.object({ ports: z.array(runtimePort).nullish() }).nullish(),
  publicIp: z.string().nullish(),
  portMappings: z.record(z.string(), z.number().int()).nullish(),
  createdAt: z.string().nullish(),
  // Read only for the cost ledger's "in this state since" (stateSince.ts); never allowed to fail a listing, so any
  // shape is accepted here and judged there.
  /** v2: when the pod last started (null while EXITED). */
  startedAt: z.unknown().optional(),
  /** v1 / GraphQL free text: "Rented by User: Fri Aug 21 2026 09:20:11 GMT+0000 (Coordinated Universal Time)". */
  lastStatusChange: z.unknown().optional(),
});

/** v2 wraps the list; v1 sent a bare array. Wrapping first keeps error paths like "pods[1].status". */
export const podListSchema = z.preprocess((v) => (Array.isArray(v) ? { pods: v } : v), z.object({ pods: z.array(podSchema) }));

/** Stop/start answer 200 + Pod; terminate 204 with no body. Only "it worked" matters to us. */
export const actionResultSchema = z.union([z.undefined(), z.object({ id: z.string() }).loose()]);

const availability = z.string().nullish();

export const catalogGpuSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  manufacturer: z.string().optional(),
  memory: z.number().nonnegative(),
  secure: z.boolean(),
  community: z.boolean(),
  price: z.object({ secure: z.number().nonnegative().nullish(), community: z.number().nonnegative().nullish() }),
  maxCount: z.object({ secure: z.number().int().nonnegative(), community: z.number().int().nonnegative() }).partial().optional(),
  availability,
  dataCenters: z.array(z.object({ id: z.string(), name: z.string().optional(), availability })).optional(),
});

export const catalogGpusResponse = z.object({ gpus: z.array(catalogGpuSchema) });

export const sshKeysResponse = z.object({ keys: z.array(z.string()) });

/** RFC 9457 problem JSON (v2), or v1's `{message}`; read only for the log. */
export const problemSchema = z.object({ title: z.string().optional(), detail: z.string().optional(), message: z.string().optional(), errors: z.array(z.string()).optional() });

/**
 * GraphQL answers 200 even for errors (providers.md §2.1), with `data` partly null, so the envelope is read first
 * and `data` is validated only when `errors` is absent.
 */
export const graphqlEnvelope = z.object({
  data: z.unknown().optional(),
  errors: z.array(z.object({ message: z.string(), extensions: z.object({ code: z.string().optional() }).loose().optional() })).optional(),
});

/** Spot prices per GPU: the one thing the v2 catalog lacks (providers.md §2.4). */
export const spotPricesData = z.object({
  gpuTypes: z.array(z.object({ id: z.string(), secureSpotPrice: z.number().nonnegative().nullish(), communitySpotPrice: z.number().nonnegative().nullish() })),
});

export type RunPodPod = z.infer<typeof podSchema>;
export type RunPodCatalogGpu = z.infer<typeof catalogGpuSchema>;
export type RunPodSpotPrices = z.infer<typeof spotPricesData>['gpuTypes'];
export type RunPodCloud = 'SECURE' | 'COMMUNITY';

/** The v2 create body we send (`CreatePodRequest` forbids unknown keys: a stray field is a 422). */
export interface RunPodCreateBody {
  readonly name: string;
  readonly image: string;
  readonly gpu: { readonly id: string; readonly count: number };
  readonly cloud: RunPodCloud;
  readonly dataCenterIds?: readonly string[];
  readonly disk: number;
  readonly mounts: { readonly persistent: { readonly size: number; readonly path: string } };
  readonly ports: readonly string[];
  readonly startSsh: boolean;
}
