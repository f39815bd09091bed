// The extension-side parts the telemetry benchmark drives, bundled by telemetryBench.mjs with esbuild into
// out/bench/ (the benchmark itself is plain node ESM and cannot import TypeScript).
import type { SshHost } from '../../src/core/hosts/sshHost';
import type { Logger } from '../../src/core/logger';
import type { HostTelemetryOptions } from '../../src/core/services/telemetry/hostTelemetry';
import { TelemetryHub } from '../../src/core/services/telemetry/telemetryHub';
import { GPU_STREAM_FIELDS } from '../../src/core/telemetry/fields';
import { parseHostMessage } from '../../src/shared/dashboardMessages';
import { ConnectionPool } from '../../src/remote/connectionPool';
import { HostKeyVerifier } from '../../src/remote/hostKeyVerifier';
import { systemClock, systemRandom } from '../../src/remote/http/nodeTimers';
import { SshConnection } from '../../src/remote/sshConnection';
import type { SshDeps } from '../../src/remote/sshDeps';
import { nodeTimers, poolTelemetryConnect } from '../../src/remote/telemetry/nodeTelemetryPorts';

export { ConnectionPool, parseHostMessage, SshConnection, TelemetryHub };

/** The rig as the benchmark knows it (test/rig/sshd.mjs). */
export interface BenchRig {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly clientKeyPath: string;
  readonly knownHostsPath: string;
}

/** A logger that keeps warnings and errors (printed if a run goes wrong) and drops the rest. */
export function benchLogger(lines: string[] = []): Logger & { lines: string[] } {
  const keep = (level: string) => (message: string, error?: unknown) => {
    if (lines.length < 500) lines.push(`${level} ${message}${error === undefined ? '' : ` ${String(error)}`}`);
  };
  const logger: Logger & { lines: string[] } = {
    lines,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: keep('warn'),
    error: keep('error'),
    child: () => logger,
  };
  return logger;
}

export function sshDeps(rig: BenchRig, logger: Logger): SshDeps {
  const prompt = { confirmUnknownHost: () => Promise.resolve(false) };
  return { logger, hostKeys: new HostKeyVerifier({ knownHostsFiles: [rig.knownHostsPath], prompt, logger }), agentSocket: '' };
}

/** One host entry for the rig; distinct ids give distinct pooled connections to the same sshd. */
export function rigHost(rig: BenchRig, id: string): SshHost {
  return { id, label: id, source: 'settings', hostname: rig.host, port: rig.port, user: rig.user, identityFiles: [rig.clientKeyPath], identitiesOnly: true };
}

/** A hub wired as the extension wires it: the pool as transport, real clock and timers. */
export function createHub(pool: ConnectionPool, logger: Logger, options: HostTelemetryOptions = {}): TelemetryHub {
  return new TelemetryHub({ connect: poolTelemetryConnect(pool), clock: systemClock, timers: nodeTimers, random: systemRandom, logger }, () => options);
}

/** The `--query-gpu` field names the stream asks for, for the naive per-sample query. */
export function queryFieldNames(): string[] {
  return GPU_STREAM_FIELDS.map((f) => f.name);
}
