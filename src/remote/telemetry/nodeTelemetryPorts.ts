import type { SshHost } from '../../core/hosts/sshHost';
import type { ConnectTelemetry, TelemetryTransport, TimerHandle, Timers } from '../../core/services/telemetry/ports';
import type { ConnectionPool } from '../connectionPool';
import type { SshConnection } from '../sshConnection';

/**
 * The Timers port over Node's timers. Unref'd: a telemetry tick or a backoff wait must never keep a process (a test
 * runner, the benchmark) alive on its own; the SSH sockets do that while streams run.
 */
export const nodeTimers: Timers = {
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return timer;
  },
  clearTimeout(handle: TimerHandle): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** SshConnection is a TelemetryTransport as it is; this is where the compiler checks that it stays one. */
export function asTelemetryTransport(connection: SshConnection): TelemetryTransport {
  return connection;
}

/** The telemetry service's connect port over the pool: a fresh `get` per attempt, since the pool evicts dead ones. */
export function poolTelemetryConnect(pool: Pick<ConnectionPool, 'get'>): ConnectTelemetry {
  return async (host: SshHost) => asTelemetryTransport(await pool.get(host));
}
