import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConnection } from '../../src/remote/sshConnection';
import { startSshd } from '../rig/sshd.mjs';
import type { SshdRig } from '../rig/sshd.mjs';
import { makeDeps, reasonOf, rigHost } from './sshTestKit';

const run = promisify(execFile);

/**
 * OpenSSH's sshd does not end a command when the client closes its channel, and the session it runs in keeps counting
 * against MaxSessions (10 by default) until the command ends by itself. These tests look at the server's process table
 * after a timed-out or aborted exec, and open more channels than MaxSessions allows after as many timed-out ones.
 */
describe('a cancelled or timed-out exec does not leave its command on the host', () => {
  let rig: SshdRig;
  let conn: SshConnection;
  // A duration no other process on this machine uses: `sleep 30.<unique>` is findable in `ps` and still sleeps ~30 s.
  let serial = 0;
  const uniqueSleep = (): string => `30.${process.pid % 1000}${String(Date.now() % 100_000).padStart(5, '0')}${++serial}`;

  /** Command lines of processes on this machine (the rig is on loopback) that mention `needle`. */
  const processesWith = async (needle: string): Promise<string[]> => {
    const { stdout } = await run('ps', ['-eo', 'pid=,args=']);
    return stdout.split('\n').filter((l) => l.includes(needle) && !l.includes('ps -eo'));
  };
  /** Polls until no process mentions `needle`, for at most `ms`; returns what was still there at the end. */
  const goneWithin = async (needle: string, ms: number): Promise<string[]> => {
    const until = Date.now() + ms;
    for (;;) {
      const left = await processesWith(needle);
      if (left.length === 0 || Date.now() > until) return left;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    rig = await startSshd();
    conn = await SshConnection.connect(rigHost(rig), makeDeps({ knownHostsFiles: [rig.knownHostsPath] }));
  });
  afterAll(async () => {
    conn?.dispose();
    await rig?.stop();
  });

  it('ends the remote sleep of a timed-out exec within a second', async () => {
    const d = uniqueSleep();
    const running = conn.exec(['sleep', d], { timeoutMs: 500 });
    // It really ran (a test that never started the sleep would pass for nothing).
    await new Promise((r) => setTimeout(r, 250));
    expect(await processesWith(`sleep ${d}`)).not.toEqual([]);
    expect(await reasonOf(running)).toBe('timeout');
    expect(await goneWithin(`sleep ${d}`, 1_000)).toEqual([]);
  });

  it('ends the remote sleep of an aborted exec within a second', async () => {
    const d = uniqueSleep();
    const ac = new AbortController();
    const running = conn.exec(['sleep', d], { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 250));
    expect(await processesWith(`sleep ${d}`)).not.toEqual([]);
    ac.abort();
    expect(await reasonOf(running)).toBe('cancelled');
    expect(await goneWithin(`sleep ${d}`, 1_000)).toEqual([]);
  });

  it('an exec that can time out but finishes gives the same stdout, stderr, exit code and quoting as a plain one', async () => {
    const hostile = ['$(rm -rf ~)', "it's \"q\"", 'a\nb', '', '-n', '日本語 ✓', '\\$HOME $$'];
    for (const argv of [['sh', '-c', 'echo out; echo err >&2; exit 3'], ['printf', '[%s]', ...hostile]]) {
      const plain = await conn.exec(argv);
      const guarded = await conn.exec(argv, { timeoutMs: 10_000, signal: new AbortController().signal });
      expect(guarded).toEqual(plain);
    }
    expect((await conn.exec(['printf', '[%s]', ...hostile], { timeoutMs: 10_000 })).stdout).toBe(hostile.map((a) => `[${a}]`).join(''));
    // A missing command is still 127 naming it; the wording of that stderr line is now the wrapper's sh's, not the login shell's.
    const missing = await conn.exec(['no-such-command-rgpu'], { timeoutMs: 10_000 });
    expect(missing.code).toBe(127);
    expect(missing.stderr).toMatch(/no-such-command-rgpu/);
  });

  it('an exec round trip does not wait for delayed ACKs (Nagle is off on pooled connections)', async () => {
    // With Nagle on (ssh2's default) the median `true` exec here took 48 ms (88 ms in npm run bench:exec), at least one
    // delayed ACK (40 ms on Linux); with it off 2.5 to 3 ms. 25 ms leaves room both ways on a loaded machine.
    const ms: number[] = [];
    for (let i = 0; i < 21; i++) {
      const t0 = performance.now();
      await conn.exec(['true']);
      ms.push(performance.now() - t0);
    }
    const median = [...ms].sort((a, b) => a - b)[10] as number;
    console.log(`exec round trip: median ${median.toFixed(1)} ms of 21`);
    expect(median).toBeLessThan(25);
  });

  it('15 timed-out execs in a row leave the connection able to open channels (MaxSessions is 10)', async () => {
    const d = uniqueSleep();
    for (let i = 0; i < 15; i++) expect(await reasonOf(conn.exec(['sleep', d], { timeoutMs: 150 }))).toBe('timeout');
    expect(await goneWithin(`sleep ${d}`, 1_000)).toEqual([]);
    // More parallel channels than MaxSessions would allow if any of the 15 sessions were still open.
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => conn.exec(['echo', String(i)])));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 10 }, (_, i) => `${i}\n`));
  });
});
