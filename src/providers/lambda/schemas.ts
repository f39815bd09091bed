import { z } from 'zod';

// Lambda Cloud API v1 bodies (providers.md §1.2), validated at the edge. Statuses are plain strings on purpose:
// a status Lambda adds tomorrow becomes state 'unknown', not an invalidResponse for the whole list.

export const regionSchema = z.object({ name: z.string(), description: z.string() });

export const instanceTypeSchema = z.object({
  name: z.string(),
  description: z.string(),
  gpu_description: z.string(),
  price_cents_per_hour: z.number().int().nonnegative(),
  specs: z.object({
    vcpus: z.number().int().nonnegative(),
    memory_gib: z.number().int().nonnegative(),
    storage_gib: z.number().int().nonnegative(),
    gpus: z.number().int().nonnegative(),
  }),
});

export const instanceSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  status: z.string(),
  // Absent while booting (providers.md §1.2).
  ip: z.string().nullish(),
  hostname: z.string().nullish(),
  region: regionSchema,
  instance_type: instanceTypeSchema,
  ssh_key_names: z.array(z.string()),
});

export const sshKeySchema = z.object({ id: z.string(), name: z.string(), public_key: z.string() });

/** Every success body is `{"data": ...}`. */
function envelope<T extends z.ZodType>(data: T) {
  return z.object({ data });
}

export const instanceTypesResponse = envelope(
  z.record(z.string(), z.object({ instance_type: instanceTypeSchema, regions_with_capacity_available: z.array(regionSchema) })),
);
export const instancesResponse = envelope(z.array(instanceSchema));
export const instanceResponse = envelope(instanceSchema);
export const launchResponse = envelope(z.object({ instance_ids: z.array(z.string().min(1)).min(1) }));
export const terminateResponse = envelope(z.object({ terminated_instances: z.array(instanceSchema) }));
export const restartResponse = envelope(z.object({ restarted_instances: z.array(instanceSchema) }));
export const sshKeysResponse = envelope(z.array(sshKeySchema));
export const sshKeyResponse = envelope(sshKeySchema);

/** `{"error": {"code", "message", "suggestion"?}}`; read leniently, since it only feeds classification. */
export const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string().optional(), suggestion: z.string().optional() }) });

export type LambdaInstance = z.infer<typeof instanceSchema>;
export type LambdaInstanceType = z.infer<typeof instanceTypeSchema>;
export type LambdaInstanceTypes = z.infer<typeof instanceTypesResponse>['data'];
export type LambdaSshKey = z.infer<typeof sshKeySchema>;

/** Launch body fields we send (providers.md §1.2). `quantity` is left out: it is not in the v1.10.0 schema. */
export interface LambdaLaunchBody {
  readonly region_name: string;
  readonly instance_type_name: string;
  readonly ssh_key_names: readonly string[];
  readonly name?: string;
  readonly image?: { readonly family: string };
}
