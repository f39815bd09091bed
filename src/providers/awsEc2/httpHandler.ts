import type { HttpHandlerOptions, HttpRequest as SmithyRequest, HttpResponse as SmithyResponse } from '@smithy/types';
import type { HttpFetch, HttpRequest } from '../../core/http/httpFetch';

const METHODS = new Set<HttpRequest['method']>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Hop-by-hop headers the HTTP port sets itself from the URL and body; sending the SDK's copies would make undici
 * refuse the request. The values match (same URL, same body), so the SigV4 signature still holds.
 */
const DROPPED_HEADERS = new Set(['host', 'content-length', 'expect', 'transfer-encoding']);

/**
 * The AWS SDK's request handler over the project's HttpFetch port, so EC2 and Pricing traffic goes through the same
 * adapter (timeouts, cancellation, no redirects) as every other provider and the tests can serve it from a fake.
 * The SDK hands us a signed request; we send it as it is and give back status, headers and the body bytes
 * (the SDK's body collector takes a Uint8Array as it is, so no Node stream is needed here).
 */
export class HttpFetchHandler {
  /** Read by the SDK's config resolver; nothing here is configurable per client. */
  readonly metadata = { handlerProtocol: 'http/1.1' };

  constructor(
    private readonly fetch: HttpFetch,
    private readonly timeoutMs: number,
  ) {}

  async handle(request: SmithyRequest, options: HttpHandlerOptions = {}): Promise<{ response: SmithyResponse }> {
    const method = request.method.toUpperCase() as HttpRequest['method'];
    if (!METHODS.has(method)) throw new Error(`unsupported HTTP method ${request.method}`);
    const signal = options.abortSignal instanceof AbortSignal ? options.abortSignal : undefined;
    const body = bodyText(request.body);
    const response = await this.fetch({
      method,
      url: urlOf(request),
      headers: forwardedHeaders(request.headers),
      timeoutMs: this.timeoutMs,
      ...(body !== undefined ? { body } : {}),
      ...(signal ? { signal } : {}),
    });
    return { response: { statusCode: response.status, reason: '', headers: { ...response.headers }, body: new TextEncoder().encode(response.text) } };
  }

  updateHttpClientConfig(): void {
    // Nothing to update: timeouts come from the provider's deps.
  }

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    // No sockets of our own: the HTTP port owns them.
  }
}

function urlOf(request: SmithyRequest): string {
  const port = request.port ? `:${request.port}` : '';
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) query.append(name, v);
  }
  const qs = query.toString();
  return `${request.protocol}//${request.hostname}${port}${request.path}${qs ? `?${qs}` : ''}`;
}

function forwardedHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!DROPPED_HEADERS.has(name.toLowerCase())) out[name] = value;
  return out;
}

/** EC2 Query and Pricing JSON bodies are text; a blob member is base64 inside that text. */
function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  throw new Error('the AWS request body is a stream; EC2 and Pricing calls never send one');
}
