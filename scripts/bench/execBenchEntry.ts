// The extension-side parts the exec benchmark drives, bundled by execBench.mjs with esbuild into out/bench/ (the
// benchmark itself is plain node ESM and cannot import TypeScript).
import type { SshConnection } from '../../src/remote/sshConnection';
export { connect, type BenchRig } from './benchRig';

/**
 * Wall time of `runs` sequential `true` execs on one connection, in ms each. `nagle`: turn Nagle back on (ssh2's
 * default) for this connection, which SshConnection now turns off. `guarded`: give each exec a timeout, which runs it
 * inside the stdin watchdog (execArgv).
 */
export async function timeExecs(conn: SshConnection, runs: number, o: { nagle: boolean; guarded: boolean }): Promise<number[]> {
  conn.client.setNoDelay(!o.nagle);
  const opts = o.guarded ? { timeoutMs: 30_000 } : {};
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = await conn.exec(['true'], opts);
    ms.push(performance.now() - t0);
    if (r.code !== 0) throw new Error(`true exited ${String(r.code)}: ${r.stderr}`);
  }
  return ms;
}
