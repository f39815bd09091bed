// @ts-check
/**
 * What every fake provider server shares: a loopback node:http server, JSON bodies, a request log, and fault
 * injection (one-shot or repeated overrides by method and path: 429, 5xx, malformed bodies, stalls). Node
 * built-ins only, so plain `node` scripts (the demo) and vitest can both import it.
 */
import { createServer } from 'node:http';
import { once } from 'node:events';

/**
 * @typedef {object} Injection
 * @property {string} [method] only requests with this method (any when absent)
 * @property {string | RegExp} [path] only this path (exact string) or matching paths (any when absent)
 * @property {number} [status] answer with this status instead of the real handler
 * @property {unknown} [body] JSON body (object), or raw text when a string
 * @property {Record<string, string>} [headers] extra response headers, e.g. { 'retry-after': '1' }
 * @property {number} [delayMs] wait this long before answering (with status) or before the real handler (without)
 * @property {number} [times] how many requests it applies to; 1 when absent, Infinity for "until removed"
 */

/**
 * @typedef {object} FakeRequest
 * @property {string} method
 * @property {string} path pathname only
 * @property {URLSearchParams} query
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {unknown} body parsed JSON, or undefined when empty; the raw text when not JSON
 */

/** @typedef {{ status: number, body?: unknown, headers?: Record<string, string> }} FakeResponse */

/**
 * @typedef {object} FakeHttpState
 * @property {Injection[]} injections checked in order before the real handler
 * @property {{ method: string, path: string, status: number }[]} requests every request in arrival order; status 0 while
 *   unanswered or when the client gave up
 */

/**
 * Starts a server on 127.0.0.1:0 that runs `handler`, after the injections.
 * @param {(req: FakeRequest) => FakeResponse | Promise<FakeResponse>} handler
 * @param {FakeHttpState} state
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startFakeHttp(handler, state) {
  const server = createServer((req, res) => {
    serve(req, res, handler, state).catch((e) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake server has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {(req: FakeRequest) => FakeResponse | Promise<FakeResponse>} handler
 * @param {FakeHttpState} state
 */
async function serve(req, res, handler, state) {
  const url = new URL(req.url ?? '/', 'http://fake');
  const text = await readText(req);
  /** @type {FakeRequest} */
  const request = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: parseBody(text) };
  // Logged on arrival, so a request the client gave up on (timeout, abort) still counts as sent.
  const entry = { method: request.method, path: request.path, status: 0 };
  state.requests.push(entry);
  const injection = takeInjection(state, request);
  if (injection?.delayMs) await sleepUnlessClosed(injection.delayMs, res);
  if (res.destroyed) return;
  const response = injection?.status !== undefined ? { status: injection.status, body: injection.body, headers: injection.headers } : await handler(request);
  if (injection?.status === undefined && injection?.headers) response.headers = { ...response.headers, ...injection.headers };
  entry.status = response.status;
  send(res, response);
}

/** @param {FakeHttpState} state @param {FakeRequest} request */
function takeInjection(state, request) {
  const index = state.injections.findIndex((i) => matches(i, request));
  if (index < 0) return undefined;
  const injection = /** @type {Injection} */ (state.injections[index]);
  const left = (injection.times ?? 1) - 1;
  if (left <= 0) state.injections.splice(index, 1);
  else injection.times = left;
  return injection;
}

/** @param {Injection} i @param {FakeRequest} r */
function matches(i, r) {
  if (i.method !== undefined && i.method !== r.method) return false;
  if (i.path === undefined) return true;
  return typeof i.path === 'string' ? i.path === r.path : i.path.test(r.path);
}

/** @param {import('node:http').ServerResponse} res @param {FakeResponse} response */
function send(res, response) {
  const headers = { ...response.headers };
  if (response.body === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  const isText = typeof response.body === 'string';
  const contentType = headers['content-type'] ?? (isText ? 'text/plain' : 'application/json');
  res.writeHead(response.status, { ...headers, 'content-type': contentType }).end(isText ? response.body : JSON.stringify(response.body));
}

/** @param {import('node:http').IncomingMessage} req @returns {Promise<string>} */
async function readText(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** @param {string} text */
function parseBody(text) {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A stalled answer must not keep the process alive after the client gave up. @param {number} ms @param {import('node:http').ServerResponse} res */
function sleepUnlessClosed(ms, res) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.once('close', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}

/**
 * The bearer token of a request, or the user part of Basic auth ("<key>:"), which Lambda also accepts.
 * @param {FakeRequest} req
 */
export function presentedKey(req) {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(.+)$/i.exec(header);
  if (basic) return Buffer.from(basic[1] ?? '', 'base64').toString('utf8').replace(/:$/, '');
  return undefined;
}

/**
 * Lifecycle phases with durations, read lazily from the clock: no timers to clean up, and a test that injects
 * `now` moves an instance from booting to running by moving time.
 * @template {{ phase: string, since: number }} T
 * @param {T} entry
 * @param {Record<string, { next: string, afterMs: number } | undefined>} transitions
 * @param {number} now
 * @returns {T}
 */
export function advance(entry, transitions, now) {
  for (;;) {
    const t = transitions[entry.phase];
    if (!t || now - entry.since < t.afterMs) return entry;
    entry.since += t.afterMs;
    entry.phase = t.next;
  }
}
