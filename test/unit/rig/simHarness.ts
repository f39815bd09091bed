import { execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join('test', 'fixtures', 'nvidia-smi', 'h100-driver580');
export const SIMULATOR = join('test', 'rig', 'nvidia-smi', 'nvidia-smi.mjs');
export const WRAPPER = join('test', 'rig', 'nvidia-smi', 'bin', 'nvidia-smi');

export interface SimResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/** The README's $F, which the captures query-units.csv and trace-gpu.csv were taken with. */
export const README_FIELDS = [
  'timestamp', 'index', 'uuid', 'name', 'pci.bus_id', 'driver_version', 'pstate', 'utilization.gpu', 'utilization.memory',
  'memory.total', 'memory.used', 'memory.free', 'temperature.gpu', 'temperature.memory', 'power.draw', 'power.limit',
  'clocks.sm', 'clocks.mem', 'clocks.max.sm', 'fan.speed', 'ecc.errors.uncorrected.volatile.total',
  'clocks_throttle_reasons.active', 'mig.mode.current', 'compute_mode',
].join(',');

/** Runs the simulator as its own node process, the way a test SSH host runs it; `onStart` may signal it. */
export function runSim(
  args: string[],
  env: Record<string, string> = {},
  onStart?: (child: ChildProcess) => void,
): Promise<SimResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [SIMULATOR, ...args], { env: { ...process.env, ...env }, timeout: 15_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, signal: error?.signal ?? null, stdout, stderr });
      });
    onStart?.(child);
  });
}

/** Environment that puts the replay `offsetMs` into the trace at the moment the simulator starts. */
export const atOffset = (offsetMs: number, extra: Record<string, string> = {}): Record<string, string> => ({
  NVIDIA_SMI_SIM_START: String(Date.now() - offsetMs),
  ...extra,
});

export interface TraceSample {
  offsetMs: number;
  cells: Map<string, string>;
}

/** trace-gpu.csv read independently of the simulator, keyed by header cell. */
export function gpuTrace(): TraceSample[] {
  const [head = '', ...rows] = fixture('trace-gpu.csv').trim().split('\n');
  const header = head.split(', ');
  const stamp = (row: string) => Date.parse(`${row.slice(0, 10).replaceAll('/', '-')}T${row.slice(11, 23)}Z`);
  const origin = stamp(rows[0] ?? '');
  return rows.map((row) => ({
    offsetMs: stamp(row) - origin,
    cells: new Map(row.split(', ').map((value, i) => [header[i] ?? '', value])),
  }));
}

/** Values a trace column takes between two offsets, plus the one in force when the window opens. */
export function traceValuesBetween(column: string, fromMs: number, toMs: number): Set<string> {
  const trace = gpuTrace();
  const inForce = trace.filter((s) => s.offsetMs <= fromMs).at(-1);
  const inside = trace.filter((s) => s.offsetMs > fromMs && s.offsetMs <= toMs);
  return new Set([inForce, ...inside].flatMap((s) => (s ? [s.cells.get(column) ?? ''] : [])));
}

/** help-query-*.txt field names: each accepted spelling mapped to the canonical (first) one. */
export function helpFields(file: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const line of fixture(file).split('\n')) {
    const match = /^"([^"]+)"(?: or "([^"]+)")?$/.exec(line);
    if (!match?.[1]) continue;
    names.set(match[1], match[1]);
    if (match[2]) names.set(match[2], match[1]);
  }
  return names;
}

/** A small seeded generator so that the random field subsets are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
