// @ts-check
// The three measurements of `npm run bench:telemetry` (see telemetryBench.mjs). Each starts its own rig(s), prints
// its markdown table and returns its raw numbers.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { markdownTable, percentile, RIG_HOME, sleep, treeCpuSeconds } from '../../test/rig/benchUtil.mjs';
import { startSshd } from '../../test/rig/sshd.mjs';

/** @typedef {typeof import('./telemetryBenchEntry')} BenchEntry */
/** @typedef {import('../../src/core/services/telemetry/hostTelemetry').HostTelemetry} HostTelemetry */
/** @typedef {import('../../src/core/services/telemetry/hostTelemetry').TelemetryView} TelemetryView */
/** @typedef {import('../../test/rig/sshd.mjs').SshdRig} SshdRig */

const SIM_BIN = fileURLToPath(new URL('../../test/rig/nvidia-smi/bin', import.meta.url));
const fmt = (/** @type {number} */ n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** @param {HostTelemetry} telemetry @param {number} [timeoutMs] */
async function waitLive(telemetry, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (telemetry.latest().state.phase !== 'live') {
    if (Date.now() > deadline) throw new Error(`host ${telemetry.host.label} did not go live: ${JSON.stringify(telemetry.latest().connection)}`);
    await sleep(100);
  }
}

/** Newest nvidia-smi timestamp among a view's GPUs. @param {TelemetryView} view */
export const newestT = (view) => view.gpus.reduce((m, g) => Math.max(m, g.t), 0);

/**
 * One sample per second until `end`, the way a polling script does it: the next starts when the previous is done
 * and its second has come.
 * @param {number} end @param {() => Promise<boolean>} sampleOnce
 */
async function perSampleLoop(end, sampleOnce) {
  let samples = 0;
  let failed = 0;
  for (let next = Date.now(); Date.now() < end; ) {
    const ok = await sampleOnce().catch(() => false);
    samples++;
    if (!ok) failed++;
    next += 1_000;
    await sleep(Math.max(0, next - Date.now()));
  }
  return { samples, failed };
}

/** `ssh host nvidia-smi --query-gpu=...` with the real OpenSSH client: a new connection per sample. */
function sshOnce(/** @type {SshdRig} */ rig, /** @type {string[]} */ argv, /** @type {number} */ gpus) {
  const options = ['-F', '/dev/null', '-i', rig.clientKeyPath, '-p', String(rig.port), '-o', `UserKnownHostsFile=${rig.knownHostsPath}`];
  options.push('-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'LogLevel=ERROR', `${rig.user}@${rig.host}`);
  return new Promise((resolve) => {
    const child = spawn('ssh', [...options, ...argv], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => resolve(code === 0 && out.trim().split('\n').length === gpus));
    child.on('error', () => resolve(false));
  });
}

/**
 * 1. CPU on the GPU host: the stream (one HostTelemetry: GPU stream at 1 s + process list at 5 s) against a sample
 * per second over a fresh `ssh` each time, and over one pooled connection; three rigs side by side, each measured as
 * its sshd's whole process tree (sessions, shells, simulator runs, and what they reaped).
 * @param {BenchEntry} entry @param {{ seconds: number, gpus: number }} o
 */
export async function hostCpuSection(entry, o) {
  const env = { HOME: RIG_HOME, NVIDIA_SMI_SIM_GPUS: String(o.gpus) };
  const rigs = await Promise.all([0, 1, 2].map(() => startSshd({ binDirs: [SIM_BIN], env })));
  const [streamRig, freshRig, pooledRig] = /** @type {[SshdRig, SshdRig, SshdRig]} */ (rigs);
  const logger = entry.benchLogger();
  const pool = new entry.ConnectionPool(entry.sshDeps(streamRig, logger));
  const hub = entry.createHub(pool, logger, { intervalMs: 1_000 });
  const pooled = await entry.SshConnection.connect(entry.rigHost(pooledRig, 'pooled'), entry.sshDeps(pooledRig, logger));
  try {
    const telemetry = hub.for(entry.rigHost(streamRig, 'stream'));
    const ticks = new Set();
    telemetry.onChange((view) => ticks.add(newestT(view)));
    const release = telemetry.acquire('bench');
    await waitLive(telemetry);
    await sleep(2_000);
    const argv = ['nvidia-smi', `--query-gpu=${entry.queryFieldNames().join(',')}`, '--format=csv,noheader,nounits'];
    const lines = async () => (await pooled.exec(argv, { timeoutMs: 20_000 })).stdout.trim().split('\n').length === o.gpus;
    const before = rigs.map((r) => treeCpuSeconds(r.pid()));
    const ticksBefore = ticks.size;
    const t0 = performance.now();
    const end = Date.now() + o.seconds * 1_000;
    const [fresh, perExec] = await Promise.all([perSampleLoop(end, () => sshOnce(freshRig, argv, o.gpus)), perSampleLoop(end, lines)]);
    const elapsed = (performance.now() - t0) / 1_000;
    const cpu = rigs.map((r, i) => treeCpuSeconds(r.pid()) - /** @type {number} */ (before[i]));
    const streamSamples = ticks.size - ticksBefore;
    release();
    return printHostCpu({ elapsed, cpu, streamSamples, fresh, perExec, gpus: o.gpus, warnings: logger.lines });
  } finally {
    hub.dispose();
    pool.dispose();
    pooled.dispose();
    await Promise.all(rigs.map((r) => r.stop()));
  }
}

/** @param {{ elapsed: number, cpu: number[], streamSamples: number, fresh: { samples: number, failed: number }, perExec: { samples: number, failed: number }, gpus: number, warnings: string[] }} r */
function printHostCpu(r) {
  const [stream, fresh, perExec] = /** @type {[number, number, number]} */ (r.cpu);
  // Per hour of monitoring at one sample a second: the stream by wall time, the per-sample ways by sample.
  const perHour = { stream: (stream / r.elapsed) * 3_600, fresh: (fresh / r.fresh.samples) * 3_600, perExec: (perExec / r.perExec.samples) * 3_600 };
  const row = (/** @type {string} */ name, /** @type {number} */ samples, /** @type {number} */ failed, /** @type {number} */ used, /** @type {number} */ hour) => [
    name,
    `${samples}${failed ? ` (${failed} failed)` : ''}`,
    fmt(used, 2),
    fmt((used / samples) * 1_000, 1),
    fmt(hour, 0),
    fmt((hour / 3_600) * 100, 2),
    fmt(hour / perHour.stream, 1),
  ];
  console.log(`## 1. CPU on the GPU host per hour of monitoring (${r.gpus} GPUs, 1 sample/s, ${fmt(r.elapsed, 0)} s side by side)\n`);
  console.log(
    markdownTable(
      ['approach', 'samples', 'host CPU s in window', 'CPU ms / sample', 'host CPU s / hour', '% of one core', 'x stream'],
      [
        row('stream: one `nvidia-smi -lms 1000` + process list at 5 s, pooled SSH', r.streamSamples, 0, stream, perHour.stream),
        row('naive: `ssh host nvidia-smi --query-gpu=...` per sample (new connection)', r.fresh.samples, r.fresh.failed, fresh, perHour.fresh),
        row('naive: `nvidia-smi --query-gpu=...` exec per sample on a pooled connection', r.perExec.samples, r.perExec.failed, perExec, perHour.perExec),
      ],
    ),
  );
  console.log('\nThe simulator is Node, so every per-sample run pays a Node start (~50-100 ms CPU) where the real nvidia-smi');
  console.log('pays ~30 ms (fixture timing.txt); absolute numbers are higher than on a real host, the ratio is the point.\n');
  if (r.warnings.length > 0) console.log(`warnings:\n${r.warnings.slice(0, 10).join('\n')}\n`);
  return { ...r, perHour };
}

/**
 * 2. Latency from the simulator printing a row (its timestamp: wall clock of this machine) to HostTelemetry's
 * onChange, and to a dashboard snapshot built, serialised and validated as the webview would receive it.
 * @param {BenchEntry} entry @param {{ seconds: number }} o
 */
export async function latencySection(entry, o) {
  const intervalMs = 200;
  const rig = await startSshd({ binDirs: [SIM_BIN], env: { HOME: RIG_HOME, NVIDIA_SMI_SIM_GPUS: '2' } });
  const logger = entry.benchLogger();
  const pool = new entry.ConnectionPool(entry.sshDeps(rig, logger));
  const hub = entry.createHub(pool, logger, { intervalMs });
  try {
    const telemetry = hub.for(entry.rigHost(rig, 'latency'));
    /** @type {number[]} */
    const toChange = [];
    /** @type {number[]} */
    const toSnapshot = [];
    let lastT = 0;
    let recording = false;
    telemetry.onChange((view) => {
      const t = newestT(view);
      if (!recording || t <= lastT) return;
      lastT = t;
      toChange.push(Date.now() - t);
      const received = entry.parseHostMessage(JSON.parse(JSON.stringify(telemetry.snapshot('5m'))));
      if (received.ok) toSnapshot.push(Date.now() - t);
    });
    const release = telemetry.acquire('bench');
    await waitLive(telemetry);
    await sleep(2_000);
    recording = true;
    await sleep(o.seconds * 1_000);
    release();
    const row = (/** @type {string} */ what, /** @type {number[]} */ v) => [what, v.length, fmt(percentile(v, 50)), fmt(percentile(v, 99)), fmt(Math.max(...v))];
    console.log(`## 2. Sample latency (loopback, 2 GPUs, ${intervalMs} ms interval, ${o.seconds} s)\n`);
    console.log(markdownTable(['from nvidia-smi printing the row to', 'samples', 'p50 ms', 'p99 ms', 'max ms'], [row('HostTelemetry.onChange', toChange), row('a validated 5 m dashboard snapshot', toSnapshot)]));
    console.log('\nTimestamps have millisecond resolution; the target is p99 < 50 ms.\n');
    return { intervalMs, toChange, toSnapshot };
  } finally {
    hub.dispose();
    pool.dispose();
    await rig.stop();
  }
}

export { fleetSection } from './telemetryBenchFleet.mjs';
