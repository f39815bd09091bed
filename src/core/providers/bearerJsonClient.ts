import { JsonClient, type ErrorDecoder } from '../http/jsonClient';
import { DEFAULT_TIMEOUT_MS, trimBaseUrl, type ProviderDeps } from './providerDeps';
import { defaultRetryPolicy } from './retryPolicy';

/**
 * The JsonClient every Bearer-token provider (Lambda, RunPod, Vast) uses: the key is read per request from the
 * SecretStorage-backed `apiKey` port, so a key set or removed while the extension runs takes effect at once.
 */
export function bearerJsonClient(deps: ProviderDeps, o: { provider: string; baseUrl: string; logTag: string; errors: ErrorDecoder }): JsonClient {
  return new JsonClient({
    provider: o.provider,
    baseUrl: trimBaseUrl(o.baseUrl),
    fetch: deps.http,
    authHeaders: async () => ({ authorization: `Bearer ${await deps.apiKey()}` }),
    timeoutMs: deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: deps.retry ?? defaultRetryPolicy,
    sleep: deps.sleep,
    random: deps.random,
    clock: deps.clock,
    logger: deps.logger.child(o.logTag),
    errors: o.errors,
  });
}
