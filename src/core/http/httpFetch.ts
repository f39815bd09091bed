/** One HTTP request. Header names are given as the provider documents them. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
  /** Required: no request waits forever. Covers connecting, the headers and the whole body. */
  readonly timeoutMs: number;
}

/** Any status is a response, not an error: the caller classifies it. Header names are lower-case. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

/**
 * HTTP port: the core never opens sockets (ARCHITECTURE: HTTP comes in through a port). The Node adapter is
 * src/remote/http/nodeHttpFetch.ts. Rejects only with RemoteGpuError: 'timeout' when timeoutMs passes,
 * 'cancelled' when the signal aborts, 'unavailable' when the network fails (refused, reset, DNS).
 */
export type HttpFetch = (request: HttpRequest) => Promise<HttpResponse>;
