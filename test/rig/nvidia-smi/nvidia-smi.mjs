#!/usr/bin/env node
// @ts-check
// Stands in for the real nvidia-smi on test SSH hosts: answers from the H100 / driver 580 captures in
// test/fixtures/nvidia-smi/h100-driver580 and replays their training-run trace in real time.
// Runs as a remote program, so plain Node built-ins only.
import { performance } from 'node:perf_hooks';
import { parseArgs } from './args.mjs';
import { controlledHold } from './control.mjs';
import { gpuIdentity } from './fields.mjs';
import { readFixture } from './fixtures.mjs';
import { makeReport } from './report.mjs';
import { loadTrace } from './trace.mjs';

const NO_DRIVER = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
  + 'Make sure that the latest NVIDIA driver is installed and running.\n\n';
const BAD_ARGS = "Invalid combination of input arguments. Please run 'nvidia-smi -h' for help.\n";
const USAGE = `NVIDIA System Management Interface -- simulator of driver 580 (test rig)

    nvidia-smi [-L] [--version] [--help-query-gpu] [--help-query-compute-apps]
               [--query-gpu=FIELDS | --query-compute-apps=FIELDS] [--format=csv[,noheader][,nounits]]
               [-i ID[,ID...]] [-l [SEC] | --loop=SEC | -lms MS | --loop-ms=MS]
`;
const MODES = ['ok', 'no-driver', 'garbage', 'hang'];

/** @typedef {{ gpus: number, speedup: number, startMs: number, mode: string, control: string | undefined }} Settings */

/**
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ ok: true, settings: Settings } | { ok: false, reason: string }}
 */
function readSettings(env) {
  const gpus = Number(env.NVIDIA_SMI_SIM_GPUS ?? '1');
  const speedup = Number(env.NVIDIA_SMI_SIM_SPEEDUP ?? '1');
  const startMs = env.NVIDIA_SMI_SIM_START ? Number(env.NVIDIA_SMI_SIM_START) : performance.timeOrigin;
  const mode = env.NVIDIA_SMI_SIM_MODE || 'ok';
  const control = env.NVIDIA_SMI_SIM_CONTROL || undefined;
  if (!Number.isInteger(gpus) || gpus < 1) return { ok: false, reason: 'NVIDIA_SMI_SIM_GPUS must be a positive integer' };
  if (!Number.isFinite(speedup) || speedup <= 0) return { ok: false, reason: 'NVIDIA_SMI_SIM_SPEEDUP must be a positive number' };
  if (!Number.isFinite(startMs)) return { ok: false, reason: 'NVIDIA_SMI_SIM_START must be epoch milliseconds' };
  if (!MODES.includes(mode)) return { ok: false, reason: `NVIDIA_SMI_SIM_MODE must be one of ${MODES.join(', ')}` };
  return { ok: true, settings: { gpus, speedup, startMs, mode, control } };
}

/**
 * A test or an SSH channel ends a looping run by a signal or by closing the pipe; either is a normal end.
 */
function exitQuietlyWhenStopped() {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => process.exit(0));
  process.stdout.on('error', (err) => process.exit(/** @type {NodeJS.ErrnoException} */ (err).code === 'EPIPE' ? 0 : 1));
}

/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Ticks are scheduled against the loop's start, not after each other, so a stream keeps its rate; a tick
 * missed (a suspended host) is skipped rather than printed in a burst.
 * @param {import('./report.mjs').Report} report
 * @param {number} stepMs wall-clock time between ticks
 */
async function runLoop(report, stepMs) {
  process.stdout.write(report.head);
  const begin = Date.now();
  for (let tick = 0; ; ) {
    process.stdout.write(report.sample(Date.now(), tick));
    tick = Math.max(tick + 1, Math.floor((Date.now() - begin) / stepMs) + 1);
    await sleep(Math.max(0, begin + tick * stepMs - Date.now()));
  }
}

/**
 * @param {import('./args.mjs').Invocation} invocation
 * @param {Settings} settings
 * @returns {Promise<number>} exit status
 */
async function answer(invocation, settings) {
  const { action } = invocation;
  if (action.kind === 'usage') return write(USAGE, 0);
  if (action.kind === 'helpQuery') return write(readFixture(action.file), 0);
  if (settings.mode === 'no-driver') return write(NO_DRIVER, 9);
  if (action.kind === 'version') return write(readFixture('smi-version.txt'), 0);
  const trace = loadTrace();
  const first = trace.gpuRows[0]?.values ?? new Map();
  const all = Array.from({ length: settings.gpus }, (_, i) => gpuIdentity(i, first));
  const ids = invocation.ids;
  const gpus = ids ? all.filter((g) => ids.some((id) => id === String(g.index) || id === g.uuid || id === g.busId)) : all;
  if (ids && gpus.length !== ids.length) return write('No devices were found\n', 6);
  const clock = { startMs: settings.startMs, speedup: settings.speedup };
  const hold = controlledHold(settings.control, (message) => process.stderr.write(message));
  const report = makeReport({ trace, gpus, count: settings.gpus, clock, garbage: settings.mode === 'garbage', hold }, action);
  if ('error' in report) return write(report.error, 2);
  if (invocation.loopMs === undefined) return write(report.head + report.sample(Date.now(), 0), 0);
  return runLoop(report, invocation.loopMs / settings.speedup).then(() => 0);
}

/**
 * Leaves the exit to Node so that a write to a pipe is drained before the process ends.
 * @param {string} text
 * @param {number} status
 * @returns {number}
 */
function write(text, status) {
  process.stdout.write(text);
  return status;
}

async function main() {
  exitQuietlyWhenStopped();
  const env = readSettings(process.env);
  if (!env.ok) {
    process.stderr.write(`nvidia-smi simulator: ${env.reason}\n`);
    return 2;
  }
  const parsed = parseArgs(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`${parsed.reason}\n${BAD_ARGS}`);
    return 2;
  }
  if (env.settings.mode === 'hang') {
    // A driver stuck in the kernel: no output and no exit until a signal arrives.
    setInterval(() => undefined, 1 << 30);
    return new Promise(() => undefined);
  }
  return answer(parsed.invocation, env.settings);
}

main().then(
  (status) => { process.exitCode = status; },
  (err) => {
    process.stderr.write(`nvidia-smi simulator: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
