import type { ErrorReason } from '../../core/errors';
import { ProviderHttpError } from '../../core/http/httpError';
import type { HttpResponse } from '../../core/http/httpFetch';
import type { ErrorDecoder, JsonClient } from '../../core/http/jsonClient';
import { bearerJsonClient } from '../../core/providers/bearerJsonClient';
import type { ProviderDeps } from '../../core/providers/providerDeps';
import { t } from '../../shared/l10n';
import {
  vastCreateResponse,
  vastCreateSshKeyResponse,
  vastErrorBody,
  vastGetInstanceResponse,
  vastInstancePage,
  vastOffersResponse,
  vastSshKeyList,
  vastSuccessResponse,
  type VastCreateBody,
  type VastInstance,
  type VastOffer,
} from './schemas';

/** The endpoint setting: paths under it are /api/v0/... and /api/v1/instances/. */
export const VAST_DEFAULT_ENDPOINT = 'https://console.vast.ai';
export const VAST_NAME = 'Vast.ai';

/** Vast's page size ceiling for /api/v1/instances/ (providers.md §3.6). */
const PAGE_LIMIT = 25;
/** A server that keeps handing out tokens must not keep us here forever: 100 pages is 2,500 instances. */
const MAX_PAGES = 100;

const CODE_REASONS: Readonly<Record<string, ErrorReason>> = {
  auth_error: 'auth',
  no_such_ask: 'capacity',
  no_such_instance: 'notFound',
  not_found: 'notFound',
  rate_limit_exceeded: 'rateLimited',
  insufficient_credit: 'quota',
};

export const vastErrors: ErrorDecoder = {
  // 429s are often plain text ("API requests too frequent endpoint threshold=1.0"): never a parse failure here,
  // the status alone already says rateLimited.
  decode(response: HttpResponse) {
    try {
      const body = vastErrorBody.safeParse(JSON.parse(response.text));
      if (body.success) return { ...(body.data.error ? { code: body.data.error } : {}), detail: body.data.msg ?? body.data.message ?? body.data.detail ?? '' };
    } catch {
      // not JSON: fall through to the text
    }
    return { detail: response.text.slice(0, 200) };
  },
  reason(status, code, call): ErrorReason | undefined {
    if (status === 429) return 'rateLimited';
    const byCode = code === undefined ? undefined : CODE_REASONS[code];
    if (byCode) return byCode;
    // An offer rented by someone else since the search answers 404/410 on create: that is capacity, not a lost id.
    if ((status === 404 || status === 410) && call.method === 'PUT' && call.path.startsWith('/api/v0/asks/')) return 'capacity';
    return undefined;
  },
};

export type VastTargetState = 'stopped' | 'running';

/** Vast.ai's REST API over the HTTP port. Paths carry the trailing slash the official CLIs send. */
export class VastApi {
  private readonly client: JsonClient;

  constructor(deps: ProviderDeps, endpoint: string = VAST_DEFAULT_ENDPOINT) {
    this.client = bearerJsonClient(deps, { provider: VAST_NAME, baseUrl: endpoint, logTag: 'vast', errors: vastErrors });
  }

  /** Follows the keyset pagination of /api/v1/instances/: `next_token` goes back as `after_token` until null. */
  async instances(signal?: AbortSignal): Promise<VastInstance[]> {
    const all: VastInstance[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await this.client.request({ method: 'GET', path: instancesPath(token), schema: vastInstancePage, idempotent: true, signal, what: 'instance list' });
      all.push(...res.instances);
      const next = res.next_token ?? '';
      if (next === '') return all;
      if (seen.has(next)) throw loopingPages();
      seen.add(next);
      token = next;
    }
    throw loopingPages();
  }

  /** Undefined when Vast answers `{"instances": null}` (an id it does not know). */
  async instance(id: string, signal?: AbortSignal): Promise<VastInstance | undefined> {
    const path = `/api/v0/instances/${encodeURIComponent(id)}/?owner=me`;
    const res = await this.client.request({ method: 'GET', path, schema: vastGetInstanceResponse, idempotent: true, signal, what: 'instance' });
    return res.instances ?? undefined;
  }

  /** A search changes nothing, so it is retried like a GET although it is a POST. */
  async searchOffers(filters: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<VastOffer[]> {
    const res = await this.client.request({ method: 'POST', path: '/api/v0/bundles/', body: filters, schema: vastOffersResponse, idempotent: true, signal, what: 'offer list' });
    return res.offers;
  }

  /** Never retried: a second PUT after a lost answer would rent a second machine. */
  async create(offerId: number, body: VastCreateBody, signal?: AbortSignal): Promise<number> {
    const path = `/api/v0/asks/${offerId}/`;
    return (await this.client.request({ method: 'PUT', path, body, schema: vastCreateResponse, idempotent: false, signal, what: 'created instance' })).new_contract;
  }

  /** Setting the target state twice ends in the same state, so it is retried. */
  async manage(id: string, state: VastTargetState, signal?: AbortSignal): Promise<void> {
    const path = `/api/v0/instances/${encodeURIComponent(id)}/`;
    await this.client.request({ method: 'PUT', path, body: { state }, schema: vastSuccessResponse, idempotent: true, signal, what: `${state} result` });
  }

  async destroy(id: string, signal?: AbortSignal): Promise<void> {
    const path = `/api/v0/instances/${encodeURIComponent(id)}/`;
    await this.client.request({ method: 'DELETE', path, body: {}, schema: vastSuccessResponse, idempotent: true, signal, what: 'destroy result' });
  }

  sshKeys(signal?: AbortSignal): Promise<{ id: number; key: string }[]> {
    return this.client.request({ method: 'GET', path: '/api/v0/ssh/', schema: vastSshKeyList, idempotent: true, signal, what: 'SSH key list' });
  }

  /** Not retried: a lost answer followed by a resend would store the key twice. */
  async addSshKey(publicKey: string, signal?: AbortSignal): Promise<{ id: number; public_key: string }> {
    const body = { ssh_key: publicKey };
    return (await this.client.request({ method: 'POST', path: '/api/v0/ssh/', body, schema: vastCreateSshKeyResponse, idempotent: false, signal, what: 'created SSH key' })).key;
  }
}

/** Parameters are URL-encoded JSON, one per parameter, as the CLIs send them (providers.md §3.1). */
function instancesPath(afterToken: string | undefined): string {
  const params = new URLSearchParams({ limit: String(PAGE_LIMIT), select_filters: '{}', order_by: JSON.stringify([{ col: 'id', dir: 'asc' }]) });
  if (afterToken !== undefined) params.set('after_token', afterToken);
  return `/api/v1/instances/?${params.toString()}`;
}

function loopingPages(): ProviderHttpError {
  return new ProviderHttpError('invalidResponse', t('{0} sent an answer Remote GPU cannot read: field {1} is not as expected.', VAST_NAME, 'next_token'), { retryable: false, detail: 'instance list: the pages never end' });
}
