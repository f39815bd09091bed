import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RemoteGpuError } from '../errors';
import { silentLogger } from '../logger';
import { defaultRetryPolicy } from '../providers/retryPolicy';
import type { HttpRequest, HttpResponse } from './httpFetch';
import { JsonClient, type JsonClientConfig } from './jsonClient';
import { ProviderHttpError } from './httpError';

/** A scripted HTTP port: answers in order, records requests. */
function scripted(answers: Array<HttpResponse | RemoteGpuError>) {
  const requests: HttpRequest[] = [];
  const fetch = async (req: HttpRequest): Promise<HttpResponse> => {
    requests.push(req);
    const next = answers.shift();
    if (next === undefined) throw new Error('no more answers');
    if (next instanceof RemoteGpuError) throw next;
    return next;
  };
  return { fetch, requests };
}

function client(fetch: (r: HttpRequest) => Promise<HttpResponse>, waits: number[] = []) {
  return new JsonClient(baseConfig(fetch, waits));
}

function baseConfig(fetch: (r: HttpRequest) => Promise<HttpResponse>, waits: number[] = []): JsonClientConfig {
  return {
    provider: 'Test Cloud',
    baseUrl: 'https://api.example',
    fetch,
    authHeaders: async () => ({ authorization: 'Bearer k' }),
    timeoutMs: 1000,
    retry: defaultRetryPolicy,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0,
    clock: { now: () => 0 },
    logger: silentLogger,
    errors: { decode: (r) => ({ code: r.headers['x-code'] }), reason: (_s, code) => (code === 'no-room' ? 'capacity' : undefined) },
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({ status, headers, text: JSON.stringify(body) });
const schema = z.object({ ok: z.boolean() });

describe('JsonClient', () => {
  it('sends auth, JSON body and the timeout through the port', async () => {
    const s = scripted([json(200, { ok: true })]);
    await client(s.fetch).request({ method: 'POST', path: '/x', body: { a: 1 }, schema, idempotent: false, what: 'x' });
    expect(s.requests[0]).toMatchObject({ method: 'POST', url: 'https://api.example/x', body: '{"a":1}', timeoutMs: 1000 });
    expect(s.requests[0]?.headers).toMatchObject({ authorization: 'Bearer k', 'content-type': 'application/json' });
  });

  it('retries an idempotent call on 5xx, network failure and 429 (Retry-After wins over backoff)', async () => {
    const waits: number[] = [];
    const s = scripted([json(502, {}), new RemoteGpuError('unavailable', 'down'), json(429, {}, { 'retry-after': '2' }), json(200, { ok: true })]);
    expect(await client(s.fetch, waits).request({ method: 'GET', path: '/x', schema, idempotent: true, what: 'x' })).toEqual({ ok: true });
    expect(waits).toEqual([0, 0, 2000]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const s = scripted([json(503, {}), json(503, {}), json(503, {}), json(503, {})]);
    const p = client(s.fetch).request({ method: 'GET', path: '/x', schema, idempotent: true, what: 'x' });
    await expect(p).rejects.toMatchObject({ reason: 'unavailable' });
    expect(s.requests).toHaveLength(defaultRetryPolicy.maxAttempts);
  });

  it('sends a non-idempotent call exactly once, whatever the failure', async () => {
    for (const failure of [json(503, {}), json(429, {}, { 'retry-after': '1' }), new RemoteGpuError('unavailable', 'reset')]) {
      const s = scripted([failure, json(200, { ok: true })]);
      await expect(client(s.fetch).request({ method: 'POST', path: '/launch', schema, idempotent: false, what: 'x' })).rejects.toBeInstanceOf(RemoteGpuError);
      expect(s.requests).toHaveLength(1);
    }
  });

  it('does not sit out a Retry-After longer than the policy allows', async () => {
    const s = scripted([json(429, {}, { 'retry-after': '3600' })]);
    const e = await client(s.fetch).request({ method: 'GET', path: '/x', schema, idempotent: true, what: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProviderHttpError);
    expect((e as ProviderHttpError).info).toMatchObject({ status: 429, retryAfterMs: 3_600_000 });
    expect(s.requests).toHaveLength(1);
  });

  it('classifies by status and provider code, never retrying auth, capacity or not-found', async () => {
    const cases: Array<[HttpResponse, string]> = [
      [json(401, {}), 'auth'],
      [json(403, {}), 'auth'],
      [json(402, {}), 'quota'],
      [json(404, {}), 'notFound'],
      [json(400, {}, { 'x-code': 'no-room' }), 'capacity'],
      [json(422, {}), 'remoteFailed'],
    ];
    for (const [response, reason] of cases) {
      const s = scripted([response, json(200, { ok: true })]);
      await expect(client(s.fetch).request({ method: 'GET', path: '/x', schema, idempotent: true, what: 'x' })).rejects.toMatchObject({ reason });
      expect(s.requests).toHaveLength(1);
    }
  });

  it('logs method, path and status but never the Authorization header', async () => {
    const lines: string[] = [];
    const record = (m: string): void => void lines.push(m);
    const logger = { trace: record, debug: record, info: record, warn: record, error: record, child: () => logger };
    const c = new JsonClient({ ...baseConfig(scripted([json(503, {}), json(200, { ok: true })]).fetch), logger });
    await c.request({ method: 'GET', path: '/x', schema, idempotent: true, what: 'x' });
    expect(lines.join('\n')).toContain('GET /x -> 503');
    expect(lines.join('\n')).not.toMatch(/Bearer|authorization/i);
  });

  it('rejects with cancelled before sending when the signal is already aborted', async () => {
    const s = scripted([json(200, { ok: true })]);
    const abort = new AbortController();
    abort.abort();
    await expect(client(s.fetch).request({ method: 'GET', path: '/x', schema, idempotent: true, signal: abort.signal, what: 'x' })).rejects.toMatchObject({ reason: 'cancelled' });
    expect(s.requests).toHaveLength(0);
  });
});
