// The contract between the runners (test/vscode/run*.mjs) and the suites, passed through the extension host's env.

/** Path of the results file the suite index writes: first line `N passed, N failed`, then the spec lines. */
export const RESULTS_ENV = 'REMOTE_GPU_TEST_RESULTS';
/** JSON {@link RigInfo}: which hosts the throwaway HOME and settings describe, and where the sshd logs are. */
export const RIG_ENV = 'REMOTE_GPU_TEST_RIG';
/** globalThis key where suites leave measurements (activation time) for the results file. */
export const METRICS_KEY = '__remoteGpuTestMetrics';

export interface RigInfo {
  /** ssh config alias of the sshd whose PATH has the nvidia-smi simulator. */
  readonly gpuHost: string;
  readonly gpuCount: number;
  /** sshd log of the simulator host (LogLevel VERBOSE: it logs each session that starts). */
  readonly gpuSshdLog: string;
  /** The simulator host's control file: write `idle` to make its GPUs quiet (memory held), `trace` to replay again. */
  readonly gpuSimControl: string;
  /** Alias defined in a file reached through `Include`. */
  readonly includedHost: string;
  /** Name of the host that comes from the remoteGpu.sshHosts setting. */
  readonly settingsHost: string;
  /** Alias of the sshd whose PATH has no nvidia-smi. */
  readonly noSmiHost: string;
  /** Alias of the sshd whose known_hosts entry is a different key. */
  readonly badKeyHost: string;
  readonly badKeySshdLog: string;
  /** Patterns of wildcard Host blocks that must not appear as hosts. */
  readonly wildcardPatterns: string[];
  /** A scratch folder on the same machine as the sshd (the terminal test touches a file there). */
  readonly scratchDir: string;
  /** The cloud fakes (test/rig/cloudFakes.mjs): their keys and the one instance running on each. */
  readonly cloud?: {
    readonly lambdaKey: string;
    readonly runpodKey: string;
    readonly lambdaInstance: string;
    readonly runpodPod: string;
    readonly vastKey: string;
    readonly vastInstance: string;
    /** "ACCESS_KEY_ID:SECRET": Set API Key asks for the two parts in turn. */
    readonly ec2Key: string;
    readonly ec2Instance: string;
  };
}

export function rigInfo(): RigInfo {
  const raw = process.env[RIG_ENV];
  if (!raw) throw new Error(`${RIG_ENV} is not set: run the suites through npm run test:vscode`);
  return JSON.parse(raw) as RigInfo;
}

export function recordMetric(name: string, value: unknown): void {
  const g = globalThis as Record<string, unknown>;
  const metrics = (g[METRICS_KEY] ?? {}) as Record<string, unknown>;
  metrics[name] = value;
  g[METRICS_KEY] = metrics;
}
