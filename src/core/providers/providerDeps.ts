import type { HttpFetch } from '../http/httpFetch';
import type { Logger } from '../logger';
import type { RetryPolicy } from './retryPolicy';
import type { Clock, Random, Sleep } from './time';

/** What every provider client is built with: its ports, injected by the composition root or a test. */
export interface ProviderDeps {
  readonly http: HttpFetch;
  /** Read per request from SecretStorage; rejects with RemoteGpuError('auth') when no key is set. Never logged. */
  readonly apiKey: () => Promise<string>;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly random: Random;
  readonly logger: Logger;
  /** Per-request timeout; 30 s when absent. */
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Strips trailing slashes so `base + "/path"` never doubles one. */
export function trimBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}
