import type { z } from 'zod';
import type { ErrorReason } from '../../core/errors';
import { ProviderHttpError } from '../../core/http/httpError';
import type { HttpResponse } from '../../core/http/httpFetch';
import type { ErrorDecoder, JsonClient } from '../../core/http/jsonClient';
import { bearerJsonClient } from '../../core/providers/bearerJsonClient';
import { parseWith } from '../../core/http/validate';
import type { ProviderDeps } from '../../core/providers/providerDeps';
import { t } from '../../shared/l10n';
import {
  actionResultSchema,
  catalogGpusResponse,
  graphqlEnvelope,
  podListSchema,
  podSchema,
  problemSchema,
  spotPricesData,
  sshKeysResponse,
  type RunPodCatalogGpu,
  type RunPodCloud,
  type RunPodCreateBody,
  type RunPodPod,
  type RunPodSpotPrices,
} from './schemas';

/** One endpoint setting for both surfaces: REST v2 under /v2, GraphQL at /graphql. */
export const RUNPOD_DEFAULT_ENDPOINT = 'https://api.runpod.io';
export const RUNPOD_NAME = 'RunPod';

export const runpodErrors: ErrorDecoder = {
  decode(response: HttpResponse) {
    try {
      const p = problemSchema.safeParse(JSON.parse(response.text));
      if (p.success) return { detail: [p.data.title, p.data.detail ?? p.data.message, ...(p.data.errors ?? [])].filter(Boolean).join(': ') };
    } catch {
      // not JSON: fall through
    }
    return { detail: response.text.slice(0, 200) };
  },
  // v2 has no machine-readable codes. On create, 400 means "rule violation or no capacity" (422 is a bad body),
  // and capacity is by far the common case; the detail still reaches the log.
  reason(status, _code, call): ErrorReason | undefined {
    if (status === 400 && call.method === 'POST' && call.path === '/v2/pods') return 'capacity';
    return undefined;
  },
};

export type PodAction = 'stop' | 'start' | 'restart' | 'terminate';

/** RunPod REST v2 plus the one GraphQL query v2 has no answer for, over the HTTP port. */
export class RunPodApi {
  private readonly client: JsonClient;

  constructor(deps: ProviderDeps, endpoint: string = RUNPOD_DEFAULT_ENDPOINT) {
    this.client = bearerJsonClient(deps, { provider: RUNPOD_NAME, baseUrl: endpoint, logTag: 'runpod', errors: runpodErrors });
  }

  async pods(signal?: AbortSignal): Promise<RunPodPod[]> {
    const path = '/v2/pods?includeClusterPods=false';
    return (await this.client.request({ method: 'GET', path, schema: podListSchema, idempotent: true, signal, what: 'pod list' })).pods;
  }

  pod(id: string, signal?: AbortSignal): Promise<RunPodPod> {
    return this.client.request({ method: 'GET', path: `/v2/pods/${encodeURIComponent(id)}`, schema: podSchema, idempotent: true, signal, what: 'pod' });
  }

  /** `include=AVAILABILITY` requires `product` (else 400); `count=1` prices and stocks one GPU. */
  async catalog(cloud: RunPodCloud, signal?: AbortSignal): Promise<RunPodCatalogGpu[]> {
    const path = `/v2/catalog/gpus?include=AVAILABILITY&product=POD&count=1&cloud=${cloud}`;
    return (await this.client.request({ method: 'GET', path, schema: catalogGpusResponse, idempotent: true, signal, what: 'GPU catalog' })).gpus;
  }

  /** Never retried: a second create after a lost answer would rent a second pod. */
  create(body: RunPodCreateBody, signal?: AbortSignal): Promise<RunPodPod> {
    return this.client.request({ method: 'POST', path: '/v2/pods', body, schema: podSchema, idempotent: false, signal, what: 'created pod' });
  }

  /** stop/start/terminate end in the same state when repeated (409 at worst), so they are retried; restart is not. */
  async action(id: string, action: PodAction, signal?: AbortSignal): Promise<void> {
    const path = `/v2/pods/${encodeURIComponent(id)}/action`;
    await this.client.request({ method: 'POST', path, body: { action }, schema: actionResultSchema, idempotent: action !== 'restart', signal, what: `${action} result` });
  }

  async sshKeys(signal?: AbortSignal): Promise<string[]> {
    return (await this.client.request({ method: 'GET', path: '/v2/account/ssh-keys', schema: sshKeysResponse, idempotent: true, signal, what: 'SSH key list' })).keys;
  }

  /** PUT replaces the whole set, so sending it twice is harmless. */
  async putSshKeys(keys: readonly string[], signal?: AbortSignal): Promise<string[]> {
    const body = { keys };
    return (await this.client.request({ method: 'PUT', path: '/v2/account/ssh-keys', body, schema: sshKeysResponse, idempotent: true, signal, what: 'SSH key list' })).keys;
  }

  spotPrices(signal?: AbortSignal): Promise<RunPodSpotPrices> {
    const query = 'query SpotPrices { gpuTypes { id secureSpotPrice communitySpotPrice } }';
    return this.graphql(query, spotPricesData, 'spot price list', signal).then((d) => d.gpuTypes);
  }

  /** A read-only GraphQL query (safe to retry). `errors` on a 200 becomes a typed error, never a parse failure. */
  private async graphql<T>(query: string, data: z.ZodType<T>, what: string, signal?: AbortSignal): Promise<T> {
    const body = { query, variables: {} };
    const res = await this.client.request({ method: 'POST', path: '/graphql', body, schema: graphqlEnvelope, idempotent: true, signal, what });
    const first = res.errors?.[0];
    if (first !== undefined) {
      const code = first.extensions?.code;
      const reason: ErrorReason = code === 'UNAUTHENTICATED' ? 'auth' : 'remoteFailed';
      throw new ProviderHttpError(reason, t('{0} refused the request.', RUNPOD_NAME), { status: 200, retryable: false, detail: `${what}: ${first.message}`, ...(code ? { providerCode: code } : {}) });
    }
    return parseWith(data, res.data, RUNPOD_NAME, what);
  }
}
