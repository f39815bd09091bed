// @ts-check
// Section 3 of `npm run bench:telemetry`: extension-host CPU while monitoring a fleet.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { markdownTable, percentile, RIG_HOME, sleep } from '../../test/rig/benchUtil.mjs';
import { startSshd } from '../../test/rig/sshd.mjs';

const SIM_BIN = fileURLToPath(new URL('../../test/rig/nvidia-smi/bin', import.meta.url));
const fmt = (/** @type {number} */ n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** @typedef {import('./telemetryBenchSections.mjs').BenchEntry} BenchEntry */
/** @typedef {import('./telemetryBenchSections.mjs').HostTelemetry} HostTelemetry */
/** @typedef {import('../../test/rig/sshd.mjs').SshdRig} SshdRig */

/** @param {HostTelemetry} telemetry */
async function waitLive(telemetry, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (telemetry.latest().state.phase !== 'live') {
    if (Date.now() > deadline) throw new Error(`host ${telemetry.host.label} did not go live: ${JSON.stringify(telemetry.latest().connection)}`);
    await sleep(100);
  }
}

/** CPU of this process only (the rig's sshd and simulators are other processes) over `seconds`, in % of one core. */
async function measureOwnCpu(/** @type {number} */ seconds) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(seconds * 1_000);
  const used = process.cpuUsage(c0);
  const wallMs = performance.now() - t0;
  return { percent: ((used.user + used.system) / 1_000 / wallMs) * 100, wallMs };
}

/**
 * The floor: the same streams (GPU at 1 s, process list at 5 s) opened raw on the pooled connections, lines counted
 * and dropped. What ssh2 and Node cost before any telemetry code runs.
 * @param {BenchEntry} entry @param {InstanceType<BenchEntry['ConnectionPool']>} pool @param {SshdRig} rig @param {{ seconds: number, hosts: number, warmupSeconds: number }} o
 */
async function transportFloor(entry, pool, rig, o) {
  const gpuArgv = ['nvidia-smi', `--query-gpu=${entry.queryFieldNames().join(',')}`, '--format=csv,noheader,nounits', '-lms', '1000'];
  const appsArgv = ['nvidia-smi', '--query-compute-apps=timestamp,gpu_uuid,pid,process_name,used_memory', '--format=csv,noheader,nounits', '-lms', '5000'];
  const streams = [];
  let lines = 0;
  for (let i = 0; i < o.hosts; i++) {
    const connection = await pool.get(entry.rigHost(rig, hostId(i)));
    for (const argv of [gpuArgv, appsArgv]) streams.push(await connection.openStream(argv, { onLine: () => lines++ }));
  }
  await sleep(Math.min(o.warmupSeconds, 5) * 1_000);
  const measured = await measureOwnCpu(o.seconds);
  for (const s of streams) s.close();
  return { ...measured, lines };
}

const hostId = (/** @type {number} */ i) => `host-${String(i).padStart(2, '0')}`;

/**
 * 3. `hosts` HostTelemetry on `hosts` pooled connections (one rig, distinct host ids) with `gpus` simulated GPUs each
 * at 1 s. Listeners read `latest()` on every change as the tree and the status bar do; the last row adds one open
 * dashboard that builds, serialises and validates a 5 m snapshot on every change.
 * @param {BenchEntry} entry @param {{ seconds: number, hosts: number, gpus: number, warmupSeconds: number }} o
 */
export async function fleetSection(entry, o) {
  const rig = await startSshd({ binDirs: [SIM_BIN], env: { HOME: RIG_HOME, NVIDIA_SMI_SIM_GPUS: String(o.gpus) } });
  const logger = entry.benchLogger();
  const pool = new entry.ConnectionPool(entry.sshDeps(rig, logger));
  const hub = entry.createHub(pool, logger, { intervalMs: 1_000 });
  /** @type {{ changes: number, dashboard: boolean, latencies: number[] }} */
  const load = { changes: 0, dashboard: false, latencies: [] };
  try {
    const floor = await transportFloor(entry, pool, rig, o);
    const fleet = [];
    for (let i = 0; i < o.hosts; i++) fleet.push(await startHost(entry, hub.for(entry.rigHost(rig, hostId(i))), load, i === 0));
    const gpusSeen = fleet.reduce((n, t) => n + t.latest().gpus.length, 0);
    // Let JIT and the GC of the setup (every GPU's history is allocated on its first sample) settle first.
    await sleep(o.warmupSeconds * 1_000);
    load.latencies.length = 0;
    load.changes = 0;
    const plain = await measureOwnCpu(o.seconds);
    const plainChanges = load.changes;
    const plainLatencies = [...load.latencies];
    load.dashboard = true;
    await sleep(1_000);
    const withDashboard = await measureOwnCpu(o.seconds);
    const live = fleet.filter((t) => t.latest().state.phase === 'live').length;
    return printFleet({ ...o, gpusSeen, live, floor, plain, withDashboard, plainChanges, plainLatencies, warnings: logger.lines });
  } finally {
    hub.dispose();
    pool.dispose();
    await rig.stop();
  }
}

/**
 * @param {BenchEntry} entry @param {HostTelemetry} telemetry
 * @param {{ changes: number, dashboard: boolean, latencies: number[] }} load @param {boolean} withDashboard
 */
async function startHost(entry, telemetry, load, withDashboard) {
  let lastT = 0;
  telemetry.onChange(() => {
    load.changes++;
    const view = telemetry.latest();
    const t = view.gpus.reduce((m, g) => Math.max(m, g.t), 0);
    if (t > lastT) load.latencies.push(Date.now() - t);
    lastT = Math.max(lastT, t);
    if (withDashboard && load.dashboard) entry.parseHostMessage(JSON.parse(JSON.stringify(telemetry.snapshot('5m'))));
  });
  telemetry.acquire('bench');
  // One at a time: sshd's MaxStartups drops some of many simultaneous unauthenticated connections.
  await waitLive(telemetry);
  return telemetry;
}

/** @param {{ hosts: number, gpus: number, seconds: number, gpusSeen: number, live: number, floor: { percent: number }, plain: { percent: number, wallMs: number }, withDashboard: { percent: number }, plainChanges: number, plainLatencies: number[], warnings: string[] }} r */
function printFleet(r) {
  console.log(`## 3. Extension-host CPU, ${r.hosts} hosts x ${r.gpus} GPUs at 1 s (${r.seconds} s per row; ${r.gpusSeen} GPUs seen, ${r.live} hosts live at the end)\n`);
  console.log(
    markdownTable(
      ['load', '% of one core', 'change events / s', 'sample latency p50 / p99 ms'],
      [
        ['floor: the same SSH streams opened raw, lines dropped (ssh2 + Node only)', fmt(r.floor.percent, 2), '', ''],
        ['streams + tree/status-bar listeners (latest() per change)', fmt(r.plain.percent, 2), fmt(r.plainChanges / (r.plain.wallMs / 1_000), 1), `${fmt(percentile(r.plainLatencies, 50))} / ${fmt(percentile(r.plainLatencies, 99))}`],
        ['same + one open dashboard (5 m snapshot, JSON, zod per change)', fmt(r.withDashboard.percent, 2), '', ''],
      ],
    ),
  );
  console.log('\nOnly this process is measured (process.cpuUsage); the rig and its simulators run beside it. Target < 2 %.\n');
  if (r.warnings.length > 0) console.log(`warnings:\n${r.warnings.slice(0, 10).join('\n')}\n`);
  return r;
}
