import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConnection } from '../../src/remote/sshConnection';
import type { StreamExit } from '../../src/remote/lineStream';
import { startSshd } from '../rig/sshd.mjs';
import type { SshdRig } from '../rig/sshd.mjs';
import { fakeBin, makeDeps, reasonOf, rigHost, scratchDir } from './sshTestKit';

describe('SshConnection.exec against OpenSSH sshd', () => {
  let rig: SshdRig;
  let conn: SshConnection;
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let connectMs = 0;

  beforeAll(async () => {
    scratch = await scratchDir();
    const bin = await fakeBin(scratch.dir, 'nvidia-smi', '#!/bin/sh\necho "fake nvidia-smi $*"\n');
    rig = await startSshd({ binDirs: [bin], env: { NVIDIA_SMI_SIM_SPEEDUP: '7' } });
    const t0 = performance.now();
    conn = await SshConnection.connect(rigHost(rig), makeDeps({ knownHostsFiles: [rig.knownHostsPath] }));
    connectMs = performance.now() - t0;
  });
  afterAll(async () => {
    conn?.dispose();
    await rig?.stop();
    await scratch?.cleanup();
  });

  it('connects to loopback quickly', () => {
    console.log(`connect to loopback sshd: ${connectMs.toFixed(0)} ms`);
    expect(connectMs).toBeLessThan(5_000);
    expect(conn.closed).toBe(false);
  });

  it('returns stdout, stderr and a non-zero exit code as data', async () => {
    const r = await conn.exec(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toEqual({ stdout: 'out\n', stderr: 'err\n', code: 3, signal: null });
  });

  it('reports the signal of a killed process', async () => {
    const r = await conn.exec(['sh', '-c', 'kill -KILL $$']);
    expect(r.code).toBeNull();
    expect(r.signal).toBe('SIGKILL');
  });

  it.each([
    ['command substitution', '$(rm -rf ~)'],
    ['backticks', '`id`'],
    ['quotes', `it's "quoted" 'twice'`],
    ['newlines', 'line1\nline2\n\nline4'],
    ['operators', 'a;b|c&d&&e||f>g<h'],
    ['globs', '* ? [a-z] ~ {a,b}'],
    ['leading dash', '-n'],
    ['empty', ''],
    ['unicode', 'héllo wörld ✓ 🚀 日本語'],
    ['backslashes and dollars', '\\$HOME \\\\ $$ ${PATH}'],
  ])('hostile argument round-trips byte-exact: %s', async (_name, arg) => {
    const r = await conn.exec(['printf', '%s', arg]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(arg);
  });

  it('keeps several hostile arguments separate', async () => {
    const args = ['a b', '', "'", '"', '\n', '$(x)'];
    const r = await conn.exec(['printf', '[%s]', ...args]);
    expect(r.stdout).toBe(args.map((a) => `[${a}]`).join(''));
  });

  it('times out a sleep quickly with reason timeout', async () => {
    const t0 = Date.now();
    expect(await reasonOf(conn.exec(['sleep', '30'], { timeoutMs: 300 }))).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it('cancels a sleep through AbortSignal quickly', async () => {
    const ac = new AbortController();
    const running = conn.exec(['sleep', '30'], { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    ac.abort();
    expect(await reasonOf(running)).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect((await conn.exec(['echo', 'usable'])).stdout).toBe('usable\n');
  });

  it('rejects at once when the signal is already aborted', async () => {
    expect(await reasonOf(conn.exec(['true'], { signal: AbortSignal.abort() }))).toBe('cancelled');
  });

  it('caps captured output with a clear error', async () => {
    const e = conn.exec(['sh', '-c', 'yes x | head -c 200000'], { maxOutputBytes: 64 * 1024 });
    expect(await reasonOf(e)).toBe('invalidResponse');
    // The connection stays usable after a capped command.
    expect((await conn.exec(['echo', 'still here'])).stdout).toBe('still here\n');
  });

  it('finds a fake nvidia-smi from binDirs and sees the rig env', async () => {
    const r = await conn.exec(['sh', '-c', 'nvidia-smi -L; echo "speedup=$NVIDIA_SMI_SIM_SPEEDUP"']);
    expect(r.stdout).toBe('fake nvidia-smi -L\nspeedup=7\n');
  });

  it('runs many execs in parallel on one connection', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => conn.exec(['echo', String(i)])));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 8 }, (_, i) => `${i}\n`));
  });

  it('streams lines of a long-lived command, and abort ends the remote loop too', async () => {
    // A unique token in the loop's own argv lets ps find it (OpenSSH refuses "signal" for root, so the loop ends by
    // SIGPIPE at its next write once the channel is closed; that is what stops `nvidia-smi -lms` as well).
    const marker = `rgpu${process.pid}x${Date.now() % 100000}`;
    const findLoop = async () => (await conn.exec(['sh', '-c', `ps -eo args | grep -F ${marker} | grep -v grep || true`])).stdout;
    const lines: string[] = [];
    const ac = new AbortController();
    let exit: StreamExit | undefined;
    const stream = await conn.openStream(['sh', '-c', `i=0; while :; do i=$((i+1)); printf "line %s\\r\\n" "$i"; sleep 0.05; done # ${marker}`], {
      signal: ac.signal,
      onLine: (l) => lines.push(l),
      onExit: (e) => (exit = e),
    });
    while (lines.length < 3) await new Promise((r) => setTimeout(r, 20));
    expect(await findLoop()).toContain(marker);
    ac.abort();
    const done = await stream.done;
    expect(lines.slice(0, 3)).toEqual(['line 1', 'line 2', 'line 3']);
    expect(done.error?.reason).toBe('cancelled');
    expect(exit).toBe(done);
    await new Promise((r) => setTimeout(r, 300));
    expect(await findLoop()).toBe('');
  });

  it('reports a stream that ends on its own with its exit code, splitting UTF-8 across chunks', async () => {
    const lines: string[] = [];
    const stream = await conn.openStream(['sh', '-c', "printf 'caf\\303'; sleep 0.1; printf '\\251\\nlast'; exit 4"], { onLine: (l) => lines.push(l) });
    const done = await stream.done;
    expect(lines).toEqual(['café', 'last']);
    expect(done).toEqual({ code: 4, signal: null, error: undefined });
  });
});

describe('a host without nvidia-smi', () => {
  let rig: SshdRig;
  beforeAll(async () => {
    rig = await startSshd();
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('gives exit code 127 for a missing nvidia-smi (the caller turns that into commandNotFound)', async () => {
    const conn = await SshConnection.connect(rigHost(rig), makeDeps({ knownHostsFiles: [rig.knownHostsPath] }));
    try {
      const r = await conn.exec(['nvidia-smi', '--query-gpu=name', '--format=csv']);
      expect(r.code).toBe(127);
      expect(r.stderr).toMatch(/nvidia-smi/);
    } finally {
      conn.dispose();
    }
  });
});
