import type { z } from 'zod';
import { RemoteGpuError, type ErrorReason } from '../errors';
import type { Logger } from '../logger';
import { nextRetryDelayMs, type RetryPolicy } from '../providers/retryPolicy';
import type { Clock, Random, Sleep } from '../providers/time';
import { isRetryableStatus, messageFor, ProviderHttpError, reasonForStatus } from './httpError';
import type { HttpFetch, HttpRequest, HttpResponse } from './httpFetch';
import { parseRetryAfter } from './retryAfter';
import { parseJsonText, parseWith } from './validate';
import { t } from '../../shared/l10n';

/** Which call failed, for a provider's code → reason table. */
export interface CallInfo {
  readonly method: HttpRequest['method'];
  readonly path: string;
}

/** Each provider's error envelope: how to read its code, and what its codes mean. */
export interface ErrorDecoder {
  /** Reads the machine-readable code and a technical detail from an error response. Never throws. */
  decode(response: HttpResponse): { readonly code?: string; readonly detail?: string };
  /** The reason for a code (or for a status on a given call); undefined falls back to the status alone. */
  reason?(status: number, code: string | undefined, call: CallInfo): ErrorReason | undefined;
}

/** Everything a JsonClient needs, injected: no timers, sockets or randomness of its own. */
export interface JsonClientConfig {
  /** "Lambda Cloud": used in messages the user sees. */
  readonly provider: string;
  /** Without a trailing slash, e.g. "https://cloud.lambda.ai/api/v1". */
  readonly baseUrl: string;
  readonly fetch: HttpFetch;
  /** Called per request so a key changed in SecretStorage takes effect at once. Never logged. */
  readonly authHeaders: () => Promise<Readonly<Record<string, string>>>;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly sleep: Sleep;
  readonly random: Random;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly errors: ErrorDecoder;
}

/** One JSON call. The schema validates the whole body; 204 or an empty body reaches it as `undefined`. */
export interface JsonCall<T> {
  readonly method: HttpRequest['method'];
  /** From the base URL, starting with "/"; ids in it are already encoded. */
  readonly path: string;
  readonly body?: unknown;
  readonly schema: z.ZodType<T>;
  /** Safe to send twice. False for a launch: then it gets exactly one attempt, whatever the failure. */
  readonly idempotent: boolean;
  readonly signal?: AbortSignal;
  /** Names the body in an invalidResponse message, e.g. "instance list". */
  readonly what: string;
}

/** JSON over the HTTP port: auth headers, timeout, cancellation, typed errors, zod validation, retries. */
export class JsonClient {
  constructor(private readonly config: JsonClientConfig) {}

  async request<T>(call: JsonCall<T>): Promise<T> {
    const { retry, random, sleep, logger } = this.config;
    const policy: RetryPolicy = call.idempotent ? retry : { ...retry, maxAttempts: 1 };
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(call.signal);
      try {
        return await this.once(call);
      } catch (e) {
        const delay = nextRetryDelayMs(policy, e, attempt, random);
        if (delay === undefined) throw e;
        const reason = e instanceof RemoteGpuError ? e.reason : 'error';
        logger.debug(`${call.method} ${call.path}: ${reason}; attempt ${attempt + 1}/${policy.maxAttempts} in ${delay} ms`);
        await sleep(delay, call.signal);
      }
    }
  }

  private async once<T>(call: JsonCall<T>): Promise<T> {
    const { fetch, clock, logger, provider, timeoutMs } = this.config;
    const headers: Record<string, string> = { accept: 'application/json', ...(await this.config.authHeaders()) };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const started = clock.now();
    const response = await fetch({
      method: call.method,
      url: this.config.baseUrl + call.path,
      headers,
      timeoutMs,
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
    });
    logger.debug(`${call.method} ${call.path} -> ${response.status} in ${clock.now() - started} ms`);
    if (response.status < 200 || response.status > 299) throw this.errorFor(response, call);
    return parseWith(call.schema, parseJsonText(response.text, provider, call.what), provider, call.what);
  }

  private errorFor(response: HttpResponse, call: CallInfo): ProviderHttpError {
    const { code, detail } = this.config.errors.decode(response);
    const reason = this.config.errors.reason?.(response.status, code, call) ?? reasonForStatus(response.status);
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.config.clock.now());
    return new ProviderHttpError(reason, messageFor(reason, this.config.provider), {
      status: response.status,
      retryable: isRetryableStatus(response.status),
      ...(code !== undefined ? { providerCode: code } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      detail: `${call.method} ${call.path} -> ${response.status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`,
    });
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RemoteGpuError('cancelled', t('Cancelled.'));
}
