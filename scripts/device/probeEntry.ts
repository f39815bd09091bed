/**
 * Runs the extension's own telemetry code against the nvidia-smi of the machine it runs on, for a real GPU (the
 * device machines have no sshd, so a child-process transport stands in for the SSH channel; everything above the
 * transport is the code the extension runs). Built and driven by scripts/device/probe.mjs.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { RemoteGpuError } from '../../src/core/errors';
import type { SshHost } from '../../src/core/hosts/sshHost';
import type { Logger } from '../../src/core/logger';
import type { ExecOptions, ExecResult } from '../../src/core/remote/remoteCommand';
import { runRemote } from '../../src/core/remote/remoteCommand';
import { HostTelemetry } from '../../src/core/services/telemetry/hostTelemetry';
import { FIELD_CACHE_SIGNATURE } from '../../src/core/services/telemetry/streamSetup';
import type { TelemetryStream, TelemetryStreamExit, TelemetryStreamOptions, TelemetryTransport } from '../../src/core/services/telemetry/ports';
import { DriverVersionCache } from '../../src/core/telemetry/driverVersion';
import { gpuInventoryCommand } from '../../src/core/telemetry/gpuInventory';
import { helpQueryGpuCommand, negotiateFields } from '../../src/core/telemetry/helpQueryGpu';
import { GPU_STREAM_FIELDS } from '../../src/core/telemetry/fields';
import { nodeTimers } from '../../src/remote/telemetry/nodeTelemetryPorts';

export { gpuInventoryCommand, helpQueryGpuCommand, negotiateFields, GPU_STREAM_FIELDS, runRemote };

/** argv runs as the SSH channel would run it, through `sh -c` of the quoted line, minus the network. */
function spawnArgv(argv: readonly string[]) {
  const [file, ...args] = argv;
  if (file === undefined) throw new RemoteGpuError('invalidResponse', 'empty argv');
  return spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Every stream line as it arrived (receive time, which stream, the line): the raw trace the fixtures keep. */
export const rawStreamLines: string[] = [];

export const localTransport: TelemetryTransport = {
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return new Promise((resolve) => {
      const child = spawnArgv(argv);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      const timer = options?.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
      child.on('error', () => resolve({ stdout: '', stderr: 'spawn failed', code: 127, signal: null }));
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code, signal });
      });
      child.stdin.end();
    });
  },
  async openStream(argv: readonly string[], options: TelemetryStreamOptions): Promise<TelemetryStream> {
    const child = spawnArgv(argv);
    createInterface({ input: child.stdout }).on('line', (line) => {
      rawStreamLines.push(`${Date.now()}\t${argv.includes('--query-compute-apps') || argv.some((a) => a.includes('compute-apps')) ? 'apps' : 'gpu'}\t${line}`);
      options.onLine(line);
    });
    createInterface({ input: child.stderr }).on('line', (l) => options.onStderrLine?.(l));
    const done = new Promise<TelemetryStreamExit>((resolve) => {
      child.on('close', (code, signal) => {
        const exit = { code, signal };
        options.onExit?.(exit);
        resolve(exit);
      });
    });
    // Keep stdin open: the stream's stdin watchdog ends the remote command when its channel closes.
    return { close: () => { child.stdin.end(); child.kill('SIGTERM'); }, done };
  },
};

const consoleLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: (m) => console.log(`[info] ${m}`),
  warn: (m) => console.log(`[warn] ${m}`),
  error: (m, e) => console.log(`[error] ${m}${e instanceof Error ? `: ${e.message}` : ''}`),
  child: () => consoleLogger,
};

export const localHost: SshHost = {
  id: 'local', label: 'this machine', source: 'demo', hostname: 'localhost', port: 22, user: 'root', identityFiles: [], identitiesOnly: false,
};

export function startTelemetry(intervalMs: number): HostTelemetry {
  return new HostTelemetry(
    localHost,
    {
      connect: async () => localTransport,
      clock: Date,
      timers: nodeTimers,
      random: Math.random,
      logger: consoleLogger,
      fieldCache: new DriverVersionCache(FIELD_CACHE_SIGNATURE),
    },
    { intervalMs, appsIntervalMs: 2_000 },
  );
}
