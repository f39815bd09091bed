// The extension-side parts the telemetry benchmark drives, bundled by telemetryBench.mjs with esbuild into
// out/bench/ (the benchmark itself is plain node ESM and cannot import TypeScript).
import type { Logger } from '../../src/core/logger';
import type { HostTelemetryOptions } from '../../src/core/services/telemetry/hostTelemetry';
import { TelemetryHub } from '../../src/core/services/telemetry/telemetryHub';
import { GPU_STREAM_FIELDS } from '../../src/core/telemetry/fields';
import { parseHostMessage } from '../../src/shared/dashboardMessages';
import { ConnectionPool } from '../../src/remote/connectionPool';
import { systemClock, systemRandom } from '../../src/remote/http/nodeTimers';
import { SshConnection } from '../../src/remote/sshConnection';
import { nodeTimers, poolTelemetryConnect } from '../../src/remote/telemetry/nodeTelemetryPorts';

export { ConnectionPool, parseHostMessage, SshConnection, TelemetryHub };
export { rigHost, sshDeps, type BenchRig } from './benchRig';

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

/** A hub wired as the extension wires it: the pool as transport, real clock and timers. */
export function createHub(pool: ConnectionPool, logger: Logger, options: HostTelemetryOptions = {}): TelemetryHub {
  return new TelemetryHub({ connect: poolTelemetryConnect(pool), clock: systemClock, timers: nodeTimers, random: systemRandom, logger }, () => options);
}

/** The `--query-gpu` field names the stream asks for, for the naive per-sample query. */
export function queryFieldNames(): string[] {
  return GPU_STREAM_FIELDS.map((f) => f.name);
}
