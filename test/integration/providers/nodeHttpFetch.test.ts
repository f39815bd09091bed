import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHttpFetch } from '../../../src/remote/http/nodeHttpFetch';
import { nodeSleep } from '../../../src/remote/http/nodeTimers';
import { rejectionOf } from './harness';

describe('Node HTTP adapter (HttpFetch over global fetch)', () => {
  let server: Server;
  let base: string;
  const http = createNodeHttpFetch();

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2_000);
      if (req.url === '/redirect') return void res.writeHead(302, { location: '/echo' }).end();
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => res.writeHead(418, { 'X-Echo': req.headers.authorization ?? '', 'Retry-After': '7' }).end(`${req.method} ${body}`));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('returns any status as a response, with lower-case header names and the body text', async () => {
    const res = await http({ method: 'POST', url: `${base}/echo`, headers: { Authorization: 'Bearer k' }, body: 'hi', timeoutMs: 2_000 });
    expect(res).toMatchObject({ status: 418, text: 'POST hi' });
    expect(res.headers).toMatchObject({ 'x-echo': 'Bearer k', 'retry-after': '7' });
  });

  it('maps timeout, cancellation and a refused connection to typed reasons', async () => {
    expect((await rejectionOf(http({ method: 'GET', url: `${base}/slow`, headers: {}, timeoutMs: 100 }))).reason).toBe('timeout');
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    expect((await rejectionOf(http({ method: 'GET', url: `${base}/slow`, headers: {}, timeoutMs: 2_000, signal: abort.signal }))).reason).toBe('cancelled');
    const refused = await rejectionOf(http({ method: 'GET', url: 'http://127.0.0.1:1/x?api_key=secret', headers: {}, timeoutMs: 2_000 }));
    expect(refused.reason).toBe('unavailable');
    expect(`${refused.message} ${refused.detail}`).not.toContain('secret');
  });

  it('refuses redirects rather than resend the Authorization header elsewhere', async () => {
    expect((await rejectionOf(http({ method: 'GET', url: `${base}/redirect`, headers: { authorization: 'Bearer k' }, timeoutMs: 2_000 }))).reason).toBe('unavailable');
  });

  it('sleeps, and stops sleeping at once on abort', async () => {
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(), 20);
    expect((await rejectionOf(nodeSleep(5_000, abort.signal))).reason).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(1_000);
    await nodeSleep(1);
  });
});
