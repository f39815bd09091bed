import type { ErrorReason } from '../../core/errors';
import type { HttpResponse } from '../../core/http/httpFetch';
import type { ErrorDecoder, JsonClient } from '../../core/http/jsonClient';
import { bearerJsonClient } from '../../core/providers/bearerJsonClient';
import type { ProviderDeps } from '../../core/providers/providerDeps';
import {
  errorBody,
  instanceResponse,
  instancesResponse,
  instanceTypesResponse,
  launchResponse,
  restartResponse,
  sshKeyResponse,
  sshKeysResponse,
  terminateResponse,
  type LambdaInstance,
  type LambdaInstanceTypes,
  type LambdaLaunchBody,
  type LambdaSshKey,
} from './schemas';

export const LAMBDA_DEFAULT_BASE_URL = 'https://cloud.lambda.ai/api/v1';
export const LAMBDA_NAME = 'Lambda Cloud';

/** Lambda's codes (providers.md §1.1). The status decides the rest; message text is never read. */
const CODE_REASONS: Readonly<Record<string, ErrorReason>> = {
  'global/invalid-api-key': 'auth',
  'global/account-inactive': 'auth',
  'global/forbidden': 'auth',
  'global/invalid-address': 'quota',
  'global/quota-exceeded': 'quota',
  'instance-operations/launch/insufficient-capacity': 'capacity',
  'global/not-found': 'notFound',
  'global/object-does-not-exist': 'notFound',
  'global/invalid-parameters': 'config',
  'instance-operations/launch/file-system-in-wrong-region': 'config',
  'global/internal-error': 'unavailable',
};

export const lambdaErrors: ErrorDecoder = {
  decode(response: HttpResponse) {
    // 429 may come with an empty body (providers.md §1.1): the status alone must be enough.
    try {
      const parsed = errorBody.safeParse(JSON.parse(response.text));
      if (parsed.success) return { code: parsed.data.error.code, detail: parsed.data.error.message ?? '' };
    } catch {
      // not JSON: fall through
    }
    return { detail: response.text.slice(0, 200) };
  },
  reason(_status, code) {
    if (code === undefined) return undefined;
    return CODE_REASONS[code] ?? (code.startsWith('provider/') ? 'unavailable' : undefined);
  },
};

/** Lambda Cloud API v1 over the HTTP port: one method per endpoint, each body validated. */
export class LambdaApi {
  private readonly client: JsonClient;

  constructor(deps: ProviderDeps, baseUrl: string = LAMBDA_DEFAULT_BASE_URL) {
    this.client = bearerJsonClient(deps, { provider: LAMBDA_NAME, baseUrl: baseUrl, logTag: 'lambda', errors: lambdaErrors });
  }

  async instanceTypes(signal?: AbortSignal): Promise<LambdaInstanceTypes> {
    return (await this.client.request({ method: 'GET', path: '/instance-types', schema: instanceTypesResponse, idempotent: true, signal, what: 'instance type list' })).data;
  }

  async instances(signal?: AbortSignal): Promise<LambdaInstance[]> {
    return (await this.client.request({ method: 'GET', path: '/instances', schema: instancesResponse, idempotent: true, signal, what: 'instance list' })).data;
  }

  async instance(id: string, signal?: AbortSignal): Promise<LambdaInstance> {
    const path = `/instances/${encodeURIComponent(id)}`;
    return (await this.client.request({ method: 'GET', path, schema: instanceResponse, idempotent: true, signal, what: 'instance' })).data;
  }

  /** Never retried: a second launch after a lost answer would rent a second machine. */
  async launch(body: LambdaLaunchBody, signal?: AbortSignal): Promise<string[]> {
    const path = '/instance-operations/launch';
    return (await this.client.request({ method: 'POST', path, body, schema: launchResponse, idempotent: false, signal, what: 'launch result' })).data.instance_ids;
  }

  /** Terminating twice ends in the same place, so a retry is safe. */
  async terminate(ids: readonly string[], signal?: AbortSignal): Promise<LambdaInstance[]> {
    const path = '/instance-operations/terminate';
    const body = { instance_ids: ids };
    return (await this.client.request({ method: 'POST', path, body, schema: terminateResponse, idempotent: true, signal, what: 'terminate result' })).data.terminated_instances;
  }

  /** Not retried: a retry after a lost answer would restart the machine a second time. */
  async restart(ids: readonly string[], signal?: AbortSignal): Promise<LambdaInstance[]> {
    const path = '/instance-operations/restart';
    const body = { instance_ids: ids };
    return (await this.client.request({ method: 'POST', path, body, schema: restartResponse, idempotent: false, signal, what: 'restart result' })).data.restarted_instances;
  }

  async sshKeys(signal?: AbortSignal): Promise<LambdaSshKey[]> {
    return (await this.client.request({ method: 'GET', path: '/ssh-keys', schema: sshKeysResponse, idempotent: true, signal, what: 'SSH key list' })).data;
  }

  async addSshKey(name: string, publicKey: string, signal?: AbortSignal): Promise<LambdaSshKey> {
    const body = { name, public_key: publicKey };
    return (await this.client.request({ method: 'POST', path: '/ssh-keys', body, schema: sshKeyResponse, idempotent: false, signal, what: 'SSH key' })).data;
  }
}
