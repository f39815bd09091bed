import { RemoteGpuError, type ErrorReason } from '../errors';
import { t } from '../../shared/l10n';

/**
 * A provider answered with an error status (or an unusable body). Still a RemoteGpuError with a reason, so the
 * one command wrapper handles it; the extra fields are for the retry policy and the log.
 */
export class ProviderHttpError extends RemoteGpuError {
  constructor(
    reason: ErrorReason,
    message: string,
    readonly info: {
      readonly status?: number;
      /** The provider's own machine-readable code, e.g. "global/invalid-api-key". */
      readonly providerCode?: string;
      /** From Retry-After, when the provider sent one. */
      readonly retryAfterMs?: number;
      /** 429, 5xx: the same request may succeed later. Only idempotent calls act on it. */
      readonly retryable: boolean;
      readonly detail?: string;
    },
  ) {
    super(reason, message, info.detail);
  }
}

/** The reason a status means when the provider's code says nothing more specific. */
export function reasonForStatus(status: number): ErrorReason {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'quota';
  if (status === 404) return 'notFound';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rateLimited';
  if (status >= 500) return 'unavailable';
  return 'remoteFailed';
}

/** Statuses after which the same request may succeed. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** One safe sentence per reason; the status and the provider's code go to the log through `detail`. */
export function messageFor(reason: ErrorReason, provider: string): string {
  switch (reason) {
    case 'auth':
      return t('{0} refused the API key. Set a valid key and try again.', provider);
    case 'quota':
      return t('{0} refused the request: a quota, spend limit or balance was reached.', provider);
    case 'capacity':
      return t('{0} has no capacity for this machine right now. Try another type or region.', provider);
    case 'notFound':
      return t('{0} does not know this instance (it may have been terminated).', provider);
    case 'rateLimited':
      return t('{0} is rate limiting requests. Try again in a moment.', provider);
    case 'unavailable':
      return t('{0} is unavailable right now. Try again later.', provider);
    case 'timeout':
      return t('{0} did not answer in time.', provider);
    default:
      return t('{0} refused the request.', provider);
  }
}
