import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConnectionPool } from '../../src/remote/connectionPool';
import { SshConnection } from '../../src/remote/sshConnection';
import { startSshd } from '../rig/sshd.mjs';
import type { SshdRig } from '../rig/sshd.mjs';
import { makeDeps, reasonOf, rigHost } from './sshTestKit';

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ConnectionPool against OpenSSH sshd', () => {
  let rig: SshdRig;
  let pool: ConnectionPool;

  beforeAll(async () => {
    rig = await startSshd();
  });
  afterEach(() => {
    pool?.dispose();
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await rig?.stop();
  });

  const newPool = (keepaliveIntervalMs = 5_000) => (pool = new ConnectionPool(makeDeps({ knownHostsFiles: [rig.knownHostsPath], keepaliveIntervalMs })));

  it('reuses one connection per host id', async () => {
    newPool();
    const a = await pool.get(rigHost(rig));
    const b = await pool.get(rigHost(rig));
    expect(b).toBe(a);
    expect((await pool.exec(rigHost(rig), ['echo', 'pooled'])).stdout).toBe('pooled\n');
    expect(await pool.get(rigHost(rig))).toBe(a);
  });

  it('concurrent gets share one in-flight connect', async () => {
    newPool();
    const connect = vi.spyOn(SshConnection, 'connect');
    const conns = await Promise.all(Array.from({ length: 5 }, () => pool.get(rigHost(rig))));
    expect(connect).toHaveBeenCalledTimes(1);
    expect(new Set(conns).size).toBe(1);
  });

  it('one caller aborting does not cancel the connect the others wait for', async () => {
    newPool();
    const ac = new AbortController();
    const aborted = pool.get(rigHost(rig), ac.signal);
    const kept = pool.get(rigHost(rig));
    ac.abort();
    expect(await reasonOf(aborted)).toBe('cancelled');
    expect((await kept).closed).toBe(false);
  });

  it('drop closes the connection and the next get reconnects', async () => {
    newPool();
    const a = await pool.get(rigHost(rig));
    pool.drop(rigHost(rig).id);
    expect(a.closed).toBe(true);
    const b = await pool.get(rigHost(rig));
    expect(b).not.toBe(a);
    expect(b.closed).toBe(false);
  });

  it('a connection dropped mid-exec gives connectionLost, is evicted, and the pool reconnects', async () => {
    newPool();
    const host = rigHost(rig);
    const a = await pool.get(host);
    // The outcome is observed from the start: the rejection may come while killConnections is still waiting.
    const outcome = reasonOf(pool.exec(host, ['sleep', '30']));
    await new Promise((r) => setTimeout(r, 300));
    expect(await rig.killConnections()).toBeGreaterThan(0);
    expect(await outcome).toBe('connectionLost');
    await until(() => a.closed);
    const b = await pool.get(host);
    expect(b).not.toBe(a);
    expect((await b.exec(['echo', 'back'])).stdout).toBe('back\n');
  });

  it('sshd going away: connectionLost, a failed reconnect is not cached, and a restart on the same port works', async () => {
    newPool();
    const host = rigHost(rig);
    const a = await pool.get(host);
    const outcome = reasonOf(a.exec(['sleep', '30']));
    await new Promise((r) => setTimeout(r, 300));
    const closedSeen = new Promise<void>((r) => a.onClose(r));
    await rig.halt();
    expect(await outcome).toBe('connectionLost');
    await closedSeen;
    expect(await reasonOf(pool.exec(host, ['true']))).toBe('unreachable');
    await rig.restart();
    expect((await pool.exec(host, ['echo', 'restarted'])).stdout).toBe('restarted\n');
  });

  it('keepalive notices a server that stopped answering', async () => {
    newPool(200);
    const host = rigHost(rig);
    const a = await pool.get(host);
    const pids = await rig.connectionPids();
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    try {
      const t0 = Date.now();
      const running = a.exec(['echo', 'never answered']);
      expect(await reasonOf(running)).toBe('connectionLost');
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(a.closed).toBe(true);
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGKILL');
    }
    const b = await pool.get(host);
    expect(b).not.toBe(a);
  });

  it('a host whose address changed under the same id gets a new connection', async () => {
    newPool();
    const a = await pool.get(rigHost(rig));
    // Same id, edited settings (here: another user, whom the rig does not let in).
    expect(await reasonOf(pool.get({ ...rigHost(rig), user: 'nobody-here' }))).toBe('auth');
    expect(a.closed).toBe(true);
  });

  it('callers whose hosts differ only in their keys share the live connection, and a stream on it survives', async () => {
    newPool();
    const connect = vi.spyOn(SshConnection, 'connect');
    // The dashboard's view (launch key first) and the tree's view (configured keys) of one instance, asking in turns.
    const dashboardView = rigHost(rig);
    const treeView = { ...rigHost(rig), identityFiles: ['/nonexistent/id_ed25519', rig.clientKeyPath], identitiesOnly: true };
    const a = await pool.get(dashboardView);
    const running = pool.exec(dashboardView, ['sh', '-c', 'sleep 0.5; echo stream-alive']);
    for (let i = 0; i < 4; i++) expect(await pool.get(i % 2 === 0 ? treeView : dashboardView)).toBe(a);
    expect((await running).stdout).toBe('stream-alive\n');
    expect(a.closed).toBe(false);
    expect(connect).toHaveBeenCalledTimes(1);
  });

  it('a connect in flight is shared across key lists; refused for its keys, the caller with the right key connects with its own', async () => {
    newPool();
    const connect = vi.spyOn(SshConnection, 'connect');
    const wrongKeys = { ...rigHost(rig), identityFiles: ['/nonexistent/id_ed25519'], identitiesOnly: true };
    const refused = pool.get(wrongKeys);
    const own = pool.get(rigHost(rig));
    expect(await reasonOf(refused)).toBe('auth');
    expect((await own).closed).toBe(false);
    expect(connect).toHaveBeenCalledTimes(2);
    // Now live: the caller with the wrong keys shares it instead of tearing it down.
    expect(await pool.get(wrongKeys)).toBe(await own);
  });

  it('after dispose, get is refused and open connections are closed', async () => {
    newPool();
    const a = await pool.get(rigHost(rig));
    pool.dispose();
    expect(a.closed).toBe(true);
    expect(await reasonOf(pool.get(rigHost(rig)))).toBe('cancelled');
  });
});
