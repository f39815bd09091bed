import { RemoteGpuError } from '../../core/errors';
import type { HttpFetch, HttpRequest, HttpResponse } from '../../core/http/httpFetch';
import { t } from '../../shared/l10n';

/**
 * The HTTP port over Node's global fetch (undici). One AbortSignal combines the caller's cancellation with the
 * request's timeout; afterwards we ask which of the two fired, because both surface as the same AbortError.
 * Redirects are refused: a provider API that redirects is misconfigured, and following one would resend the
 * Authorization header somewhere else.
 */
export function createNodeHttpFetch(): HttpFetch {
  return async (request) => {
    if (request.signal?.aborted) throw cancelled();
    const timeout = AbortSignal.timeout(request.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        redirect: 'error',
        signal,
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      // Reading the body is still under the same signal: a server that stalls mid-body times out too.
      const text = await response.text();
      return { status: response.status, headers: lowerCaseHeaders(response.headers), text } satisfies HttpResponse;
    } catch (e) {
      throw classify(e, request, timeout);
    }
  };
}

function classify(e: unknown, request: HttpRequest, timeout: AbortSignal): RemoteGpuError {
  if (request.signal?.aborted) return cancelled(e);
  if (timeout.aborted) {
    return new RemoteGpuError('timeout', t('No answer from {0} within {1} ms.', hostOf(request.url), request.timeoutMs), `${request.method} ${pathOf(request.url)}`, { cause: e });
  }
  // undici wraps the socket error in `cause` (ECONNREFUSED, ENOTFOUND, ...); that code is data, not message text.
  const code = causeCode(e);
  return new RemoteGpuError('unavailable', t('Cannot reach {0}{1}.', hostOf(request.url), code ? ` (${code})` : ''), `${request.method} ${pathOf(request.url)}: ${describe(e)}`, { cause: e });
}

function cancelled(cause?: unknown): RemoteGpuError {
  return new RemoteGpuError('cancelled', t('Cancelled.'), undefined, { cause });
}

function lowerCaseHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

function causeCode(e: unknown): string | undefined {
  const cause = e instanceof Error ? e.cause : undefined;
  if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return undefined;
}

function describe(e: unknown): string {
  const base = e instanceof Error ? e.message : String(e);
  const code = causeCode(e);
  return code ? `${base} (${code})` : base;
}

/** Only host and path reach messages and the log: query strings can carry keys (RunPod's legacy ?api_key=). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the provider';
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}
