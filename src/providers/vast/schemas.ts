import { z } from 'zod';

// Vast.ai bodies (providers.md §3). Only the fields we read are declared; objects stay open (zod strips the rest),
// so the many fields Vast adds over time never break a parse. Statuses are strings: a new one maps to 'unknown'.

const dollars = z.number().nonnegative();

/** Docker-style port: HostPort is a numeric string ("41022"); some clients show a number, so both parse. */
const hostPort = z.union([z.string().regex(/^\d+$/).transform(Number), z.number().int().positive()]);

export const vastInstanceSchema = z.object({
  id: z.number().int(),
  actual_status: z.string().nullish(),
  intended_status: z.string().nullish(),
  cur_state: z.string().nullish(),
  label: z.string().nullish(),
  status_msg: z.string().nullish(),
  image_runtype: z.string().nullish(),
  public_ipaddr: z.string().nullish(),
  ssh_host: z.string().nullish(),
  ssh_port: z.number().int().nullish(),
  /** Present only while running; null otherwise (providers.md §3.2). */
  ports: z.record(z.string(), z.array(z.object({ HostIp: z.string().optional(), HostPort: hostPort })).nullish()).nullish(),
  gpu_name: z.string().nullish(),
  num_gpus: z.number().int().nonnegative().nullish(),
  dph_total: dollars.nullish(),
  storage_total_cost: dollars.nullish(),
  is_bid: z.boolean().nullish(),
  /** Epoch seconds, with a fraction. */
  start_date: z.number().nullish(),
  /**
   * Minutes since the container last started (46.2), null while not running. Read as unknown and checked in
   * vastStateSince: a text or a negative here must cost the instance its date, never the listing.
   */
  uptime_mins: z.unknown().optional(),
  geolocation: z.string().nullish(),
});

/** GET /api/v0/instances/{id}/: a single object under a plural key, null when Vast does not know the id. */
export const vastGetInstanceResponse = z.object({ instances: vastInstanceSchema.nullable() });

/** GET /api/v1/instances/: one keyset page; `next_token` null (or absent, or "") ends the listing. */
export const vastInstancePage = z.object({ instances: z.array(vastInstanceSchema), next_token: z.string().nullish() });

export const vastOfferSchema = z.object({
  id: z.number().int(),
  gpu_name: z.string(),
  num_gpus: z.number().int().nonnegative(),
  /** MB per GPU. */
  gpu_ram: z.number().nonnegative(),
  /** $/h for the whole offer, storage at allocated_storage included. */
  dph_total: dollars,
  /** $/h for the whole offer as an interruptible bid. */
  min_bid: dollars.nullish(),
  geolocation: z.string().nullish(),
  machine_id: z.number().int().nullish(),
  rentable: z.boolean().nullish(),
  rented: z.boolean().nullish(),
  cpu_cores_effective: z.number().nonnegative().nullish(),
  /** MB */
  cpu_ram: z.number().nonnegative().nullish(),
  /** GB */
  disk_space: z.number().nonnegative().nullish(),
});

/** The spec's example shows `offers` as an object; schema and clients say array (providers.md §3.2 doc bug). */
export const vastOffersResponse = z.object({ offers: z.array(vastOfferSchema) });

/** PUT /api/v0/asks/{id}/: the new instance id is `new_contract`. */
export const vastCreateResponse = z.object({ success: z.boolean().optional(), new_contract: z.number().int() });

/** `{success: true}` from manage/destroy; only "it worked" matters, so anything object-shaped passes. */
export const vastSuccessResponse = z.union([z.undefined(), z.object({ success: z.boolean().optional() }).loose()]);

/** GET /api/v0/ssh/ is a bare array whose key field is `key`... */
export const vastSshKeyList = z.array(z.object({ id: z.number().int(), key: z.string() }));

/** ...while POST /api/v0/ssh/ answers with `public_key` (providers.md §3.2). */
export const vastCreateSshKeyResponse = z.object({ key: z.object({ id: z.number().int(), public_key: z.string() }) });

/** Error bodies: `{success, error, msg}`, `{detail}`, `{msg}`/`{message}`, or plain text (read elsewhere). */
export const vastErrorBody = z.object({ error: z.string().optional(), msg: z.string().optional(), message: z.string().optional(), detail: z.string().optional() });

export type VastInstance = z.infer<typeof vastInstanceSchema>;
export type VastOffer = z.infer<typeof vastOfferSchema>;

/** The create body we send (PUT /api/v0/asks/{offer}/). `env` is an object as in the guide, vast-cli and dstack. */
export interface VastCreateBody {
  readonly client_id: 'me';
  readonly image: string;
  readonly disk: number;
  readonly label: string;
  readonly runtype: string;
  readonly env: Readonly<Record<string, string>>;
  readonly onstart: string;
  readonly target_state: 'running';
  readonly cancel_unavail: boolean;
}
