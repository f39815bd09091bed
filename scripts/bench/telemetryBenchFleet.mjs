// @ts-check
// Section 3 of `npm run bench:telemetry`: extension-host CPU while monitoring a fleet.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { markdownTable, percentile, sleep } from '../../test/rig/benchUtil.mjs';
import { startSshd } from '../../test/rig/sshd.mjs';

const SIM_BIN = fileURLToPath(new URL('../../test/rig/nvidia-smi/bin', import.meta.url));
const fmt = (/** @type {number} */ n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** @param {import('./telemetryBenchSections.mjs').HostTelemetry} telemetry */
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
 * 3. `hosts` HostTelemetry on `hosts` pooled connections (one rig, distinct host ids) with `gpus` simulated GPUs each
 * at 1 s. Listeners read `latest()` on every change as the tree and the status bar do; the second row adds one open
 * dashboard that builds, serialises and validates a 5 m snapshot on every change.
 * @param {import('./telemetryBenchSections.mjs').BenchEntry} entry @param {{ seconds: number, hosts: number, gpus: number }} o
 */
export async function fleetSection(entry, o) {
  const rig = await startSshd({ binDirs: [SIM_BIN], env: { NVIDIA_SMI_SIM_GPUS: String(o.gpus) } });
  const logger = entry.benchLogger();
  const pool = new entry.ConnectionPool(entry.sshDeps(rig, logger));
  const hub = entry.createHub(pool, logger, { intervalMs: 1_000 });
  /** @type {number[]} */
  const latencies = [];
  let changes = 0;
  let dashboard = false;
  try {
    const fleet = [];
    for (let i = 0; i < o.hosts; i++) {
      const telemetry = hub.for(entry.rigHost(rig, `host-${String(i).padStart(2, '0')}`));
      const first = i === 0;
      let lastT = 0;
      telemetry.onChange(() => {
        changes++;
        const view = telemetry.latest();
        const t = view.gpus.reduce((m, g) => Math.max(m, g.t), 0);
        if (t > lastT) latencies.push(Date.now() - t);
        lastT = Math.max(lastT, t);
        if (first && dashboard) entry.parseHostMessage(JSON.parse(JSON.stringify(telemetry.snapshot('5m'))));
      });
      telemetry.acquire('bench');
      // One at a time: sshd's MaxStartups drops some of many simultaneous unauthenticated connections.
      await waitLive(telemetry);
      fleet.push(telemetry);
    }
    const gpusSeen = fleet.reduce((n, t) => n + t.latest().gpus.length, 0);
    await sleep(3_000);
    latencies.length = 0;
    changes = 0;
    const plain = await measureOwnCpu(o.seconds);
    const plainChanges = changes;
    const plainLatencies = [...latencies];
    dashboard = true;
    await sleep(1_000);
    const withDashboard = await measureOwnCpu(o.seconds);
    const live = fleet.filter((t) => t.latest().state.phase === 'live').length;
    return printFleet({ ...o, gpusSeen, live, plain, withDashboard, plainChanges, plainLatencies, warnings: logger.lines });
  } finally {
    hub.dispose();
    pool.dispose();
    await rig.stop();
  }
}

/** @param {{ hosts: number, gpus: number, seconds: number, gpusSeen: number, live: number, plain: { percent: number, wallMs: number }, withDashboard: { percent: number }, plainChanges: number, plainLatencies: number[], warnings: string[] }} r */
function printFleet(r) {
  console.log(`## 3. Extension-host CPU, ${r.hosts} hosts x ${r.gpus} GPUs at 1 s (${r.seconds} s per row; ${r.gpusSeen} GPUs seen, ${r.live} hosts live at the end)\n`);
  console.log(
    markdownTable(
      ['load', '% of one core', 'change events / s', 'sample latency p50 / p99 ms'],
      [
        ['streams + tree/status-bar listeners (latest() per change)', fmt(r.plain.percent, 2), fmt(r.plainChanges / (r.plain.wallMs / 1_000), 1), `${fmt(percentile(r.plainLatencies, 50))} / ${fmt(percentile(r.plainLatencies, 99))}`],
        ['same + one open dashboard (5 m snapshot, JSON, zod per change)', fmt(r.withDashboard.percent, 2), '', ''],
      ],
    ),
  );
  console.log('\nOnly this process is measured (process.cpuUsage); the rig and its simulators run beside it. Target < 2 %.\n');
  if (r.warnings.length > 0) console.log(`warnings:\n${r.warnings.slice(0, 10).join('\n')}\n`);
  return r;
}
