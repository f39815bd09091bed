import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import { connect as tcpConnect, createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionPool } from '../../src/remote/connectionPool';
import { PortForward } from '../../src/remote/portForward';
import { PortForwards } from '../../src/remote/portForwards';
import { startSshd } from '../rig/sshd.mjs';
import type { SshdRig } from '../rig/sshd.mjs';
import { makeDeps, recordingLogger, rigHost } from './sshTestKit';

/** GET through the forward; resolves with the body, rejects on a reset. */
function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function listenOn(server: Server | ReturnType<typeof createTcpServer>, port = 0): Promise<number> {
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** True when nothing listens on 127.0.0.1:port (a connect is refused). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect({ host: '127.0.0.1', port });
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', () => resolve(true));
  });
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Forward Port through the OpenSSH rig', () => {
  let rig: SshdRig;
  let pool: ConnectionPool;
  let forwards: PortForwards;
  let http: Server;
  let httpPort: number;
  const slowResponses: (() => void)[] = [];

  beforeAll(async () => {
    rig = await startSshd();
    // The "remote" app: sshd connects to it on its side, which here is the same loopback.
    http = createServer((req, res) => {
      if (req.url === '/slow') {
        res.writeHead(200);
        res.write('partial');
        slowResponses.push(() => res.end('rest'));
        return;
      }
      setTimeout(() => res.end(`hello ${req.url ?? ''}`), 20);
    });
    httpPort = await listenOn(http);
  });
  afterEach(async () => {
    await forwards?.dispose();
    pool?.dispose();
    for (const finish of slowResponses.splice(0)) finish();
  });
  afterAll(async () => {
    http?.closeAllConnections();
    await new Promise((r) => http?.close(r));
    await rig?.stop();
  });

  const setup = (): void => {
    pool = new ConnectionPool(makeDeps({ knownHostsFiles: [rig.knownHostsPath] }));
    forwards = new PortForwards({ connect: (h) => pool.get(h), logger: recordingLogger() });
  };

  it('answers HTTP through the forward for many concurrent connections, on one SSH connection', async () => {
    setup();
    const { forward } = await forwards.add(rigHost(rig), httpPort);
    // The remote port is taken here by the app itself, so the forward had to pick another local port.
    expect(forward.localPort).not.toBe(httpPort);
    const started = Date.now();
    const bodies = await Promise.all(Array.from({ length: 24 }, (_v, i) => get(forward.localPort, `/r${i}`)));
    const ms = Date.now() - started;
    expect(bodies).toEqual(Array.from({ length: 24 }, (_v, i) => `hello /r${i}`));
    expect((await rig.connectionPids()).length).toBe(1);
    expect(forward.state.kind).toBe('active');
    console.info(`24 concurrent HTTP requests through the forward: ${ms} ms`);
  });

  it('carries a large body intact (flow control on both sides)', async () => {
    setup();
    const size = 16 * 1024 * 1024;
    const payload = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4) payload.writeUInt32LE(i, i);
    const big = createServer((_req, res) => res.end(payload));
    const bigPort = await listenOn(big);
    try {
      const { forward } = await forwards.add(rigHost(rig), bigPort);
      const started = Date.now();
      const body = await new Promise<Buffer>((resolve, reject) => {
        request({ host: '127.0.0.1', port: forward.localPort, path: '/', agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks)));
          res.on('error', reject);
        }).on('error', reject).end();
      });
      const ms = Date.now() - started;
      expect(body.length).toBe(size);
      expect(body.equals(payload)).toBe(true);
      console.info(`16 MiB through the forward in ${ms} ms (${((size / 1024 / 1024) / (ms / 1000)).toFixed(0)} MiB/s)`);
    } finally {
      big.closeAllConnections();
      await new Promise((r) => big.close(r));
    }
  });

  it('takes the same local port when it is free, and returns the running forward for a repeat request', async () => {
    setup();
    // Remote and local are one machine here: the "remote" app listens on 127.0.0.2 so that 127.0.0.1:port stays free.
    const app = createServer((_req, res) => res.end('on 127.0.0.2'));
    const port = await new Promise<number>((resolve) => app.listen(0, '127.0.0.2', () => resolve((app.address() as AddressInfo).port)));
    try {
      const logger = recordingLogger();
      const forward = await PortForward.start({ remotePort: port, remoteHost: '127.0.0.2', connect: () => pool.get(rigHost(rig)), logger });
      expect(forward.localPort).toBe(port);
      expect(await get(port, '/')).toBe('on 127.0.0.2');
      await forward.stop();
      // Nothing listens remotely on that port any more: the local connection is closed, the forward stays up.
      await new Promise((r) => app.close(r));
      const again = await PortForward.start({ remotePort: port, remoteHost: '127.0.0.2', connect: () => pool.get(rigHost(rig)), logger });
      await expect(get(again.localPort, '/')).rejects.toThrow();
      expect(again.state.kind).toBe('active');
      expect(logger.lines.join('\n')).toMatch(/could not connect to port/);
      await again.stop();
    } finally {
      app.close();
    }
    const [a, twin] = await Promise.all([forwards.add(rigHost(rig), httpPort), forwards.add(rigHost(rig), httpPort)]);
    expect(twin).toBe(a);
    expect(await forwards.add(rigHost(rig), httpPort)).toBe(a);
    expect(forwards.list(rigHost(rig).id)).toHaveLength(1);
  });

  it('stopping the forward frees the local port and ends connections it carried', async () => {
    setup();
    const entry = await forwards.add(rigHost(rig), httpPort);
    const port = entry.forward.localPort;
    expect(await get(port, '/x')).toBe('hello /x');
    const pending = get(port, '/slow');
    await until(() => slowResponses.length === 1);
    await forwards.stop(entry.id);
    await expect(pending).rejects.toThrow();
    expect(await refused(port)).toBe(true);
    expect(forwards.list(rigHost(rig).id)).toEqual([]);
    // The port can be bound again right away.
    const again = createTcpServer();
    expect(await listenOn(again, port)).toBe(port);
    await new Promise((r) => again.close(r));
  });

  it('a connection dropped mid-way marks the forward broken (no crash), keeps the port, and retry brings it back', async () => {
    setup();
    const { forward } = await forwards.add(rigHost(rig), httpPort);
    const changes: string[] = [];
    forwards.onDidChange(() => changes.push(forward.state.kind));
    // Settled into a value at once: the request fails while killConnections is still awaited, and a rejection with
    // no handler yet would be reported as unhandled.
    const inFlight = get(forward.localPort, '/slow').then(
      () => 'answered',
      (e: unknown) => e,
    );
    await until(() => slowResponses.length === 1);
    expect(await rig.killConnections()).toBeGreaterThan(0);
    expect(await inFlight).toBeInstanceOf(Error);
    await until(() => forward.state.kind === 'broken');
    expect(forward.state).toMatchObject({ kind: 'broken', error: { reason: 'connectionLost' } });
    // While broken the port is still ours; a new local connection is closed at once instead of hanging.
    expect(await refused(forward.localPort)).toBe(false);
    await expect(get(forward.localPort, '/while-broken')).rejects.toThrow();
    await forward.retry();
    expect(forward.state.kind).toBe('active');
    expect(await get(forward.localPort, '/after')).toBe('hello /after');
    expect(changes).toEqual(['broken', 'active']);
  });

  it('dispose closes every forward of every host', async () => {
    setup();
    const a = await forwards.add(rigHost(rig), httpPort);
    const b = await forwards.add(rigHost(rig, { id: 'second', label: 'second' }), httpPort);
    await forwards.dispose();
    expect(await refused(a.forward.localPort)).toBe(true);
    expect(await refused(b.forward.localPort)).toBe(true);
    expect(forwards.all()).toEqual([]);
  });

  it('a host that cannot be reached fails the request and leaves no listener behind', async () => {
    setup();
    const bad = rigHost(rig, { id: 'bad', port: 1 });
    await expect(forwards.add(bad, httpPort)).rejects.toMatchObject({ reason: 'unreachable' });
    expect(forwards.all()).toEqual([]);
  });
});
