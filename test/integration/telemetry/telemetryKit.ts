import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { SshHost } from '../../../src/core/hosts/sshHost';
import type { HostTelemetryOptions } from '../../../src/core/services/telemetry/hostTelemetry';
import { TelemetryHub } from '../../../src/core/services/telemetry/telemetryHub';
import { ConnectionPool } from '../../../src/remote/connectionPool';
import { systemClock } from '../../../src/remote/http/nodeTimers';
import { nodeTimers, poolTelemetryConnect } from '../../../src/remote/telemetry/nodeTelemetryPorts';
import { startSshd } from '../../rig/sshd.mjs';
import type { SshdRig } from '../../rig/sshd.mjs';
import { fakeBin, makeDeps, rigHost, scratchDir } from '../sshTestKit';

/** The simulator's bin dir (put on the rig's PATH as `nvidia-smi`). */
export const SIM_BIN = fileURLToPath(new URL('../../rig/nvidia-smi/bin', import.meta.url));
const SIM_WRAPPER = `${SIM_BIN}/nvidia-smi`;

export interface TelemetryRigOptions {
  /** Simulator wrapper script body run as `nvidia-smi`; default: the simulator itself. `SIM` is its path. */
  readonly script?: (sim: string) => string;
  /** No nvidia-smi on PATH at all. */
  readonly noNvidiaSmi?: boolean;
  readonly env?: Record<string, string>;
  readonly telemetry?: HostTelemetryOptions;
  /** The backoff's jitter; 0.99 makes the delay predictable (just under its ceiling). */
  readonly random?: () => number;
}

export interface TelemetryRig {
  readonly rig: SshdRig;
  readonly pool: ConnectionPool;
  readonly hub: TelemetryHub;
  readonly host: SshHost;
  readonly logLines: string[];
  /** A token in every session's environment, so this rig's simulator processes can be told from others'. */
  readonly token: string;
  stop(): Promise<void>;
}

/** A real OpenSSH rig with the simulator (or a wrapper of it), a pool and a hub wired like the extension does it. */
export async function startTelemetryRig(options: TelemetryRigOptions = {}): Promise<TelemetryRig> {
  const scratch = await scratchDir();
  const token = randomUUID();
  let binDirs: string[] = [];
  if (options.script) binDirs = [await fakeBin(scratch.dir, 'nvidia-smi', options.script(SIM_WRAPPER))];
  else if (!options.noNvidiaSmi) binDirs = [SIM_BIN];
  // HOME is a scratch dir so sessions never run the machine's own ~/.bashrc (a pyenv init there takes a lock that a
  // killed session leaves behind, and every later command then waits a minute for it).
  const rig = await startSshd({ binDirs, env: { HOME: scratch.dir, RGPU_TEST_RIG: token, ...options.env } });
  const deps = makeDeps({ knownHostsFiles: [rig.knownHostsPath] });
  const pool = new ConnectionPool(deps);
  const hub = new TelemetryHub(
    { connect: poolTelemetryConnect(pool), clock: systemClock, timers: nodeTimers, random: options.random ?? Math.random, logger: deps.logger },
    () => options.telemetry ?? {},
  );
  return {
    rig,
    pool,
    hub,
    host: rigHost(rig),
    logLines: deps.logger.lines,
    token,
    async stop() {
      hub.dispose();
      pool.dispose();
      await rig.stop();
      await scratch.cleanup();
    },
  };
}

/** PIDs of this rig's simulator processes, found by the token in their environment. */
export async function simulatorPids(t: TelemetryRig): Promise<number[]> {
  const script = `for p in $(pgrep -f 'nvidia-smi[.]mjs'); do tr '\\0' '\\n' < /proc/$p/environ 2>/dev/null | grep -qx "RGPU_TEST_RIG=$1" && echo $p; done; true`;
  const r = await t.pool.exec(t.host, ['sh', '-c', script, 'sh', t.token], { timeoutMs: 20_000 });
  return r.stdout.split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
}

/** Polls `check` until it returns a value that is not undefined/false; generous timeouts for a loaded 2-core box. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
