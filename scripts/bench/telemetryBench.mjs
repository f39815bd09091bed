// @ts-check
// `npm run bench:telemetry`: the telemetry numbers of issue 3 against the OpenSSH rig and the nvidia-smi simulator,
// printed as markdown tables. Builds the TypeScript it drives with esbuild into out/bench/ first.
//   --seconds=N          measuring window of sections 1 and 3 (default 30 and 20)
//   --latency-seconds=N  window of section 2 (default 20)
//   --hosts=N --gpus=N   section 3's fleet (default 16 x 8)
//   --warmup=N           section 3: seconds between the last host going live and measuring (default 10)
//   --only=1,3           run some sections (4: the webview in Chromium, frame times and heap over a simulated day)
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { hostCpuSection, latencySection, fleetSection } from './telemetryBenchSections.mjs';
import { bundleBenchEntry } from './bundleEntry.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = `${ROOT}out/bench`;

/**
 * @param {string[]} argv
 * @returns {{ seconds?: number, latencySeconds: number, hosts: number, gpus: number, warmupSeconds: number, only: Set<string> }}
 */
function parseArgs(argv) {
  /** @type {Record<string, string>} */
  const flags = {};
  for (const a of argv) {
    const m = /^--([a-z-]+)=(.*)$/.exec(a);
    if (!m) throw new Error(`unknown argument ${a}; see the header of scripts/bench/telemetryBench.mjs`);
    flags[/** @type {string} */ (m[1])] = /** @type {string} */ (m[2]);
  }
  const num = (/** @type {string} */ k, /** @type {number | undefined} */ d) => (flags[k] === undefined ? d : Number(flags[k]));
  return {
    seconds: num('seconds', undefined),
    latencySeconds: /** @type {number} */ (num('latency-seconds', 20)),
    hosts: /** @type {number} */ (num('hosts', 16)),
    gpus: /** @type {number} */ (num('gpus', 8)),
    warmupSeconds: /** @type {number} */ (num('warmup', 10)),
    only: new Set((flags.only ?? '1,2,3,4').split(',')),
  };
}


async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  /** @type {import('./telemetryBenchSections.mjs').BenchEntry} */
  const entry = await bundleBenchEntry('telemetryBenchEntry');
  console.log(`# Telemetry benchmark\n\nnode ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'}), OpenSSH rig on loopback, nvidia-smi simulator.\n`);
  /** @type {Record<string, unknown>} */
  const results = {};
  if (args.only.has('1')) results.hostCpu = await hostCpuSection(entry, { seconds: args.seconds ?? 30, gpus: args.gpus });
  if (args.only.has('2')) results.latency = await latencySection(entry, { seconds: args.latencySeconds });
  if (args.only.has('3')) results.fleet = await fleetSection(entry, { seconds: args.seconds ?? 20, hosts: args.hosts, gpus: args.gpus, warmupSeconds: args.warmupSeconds });
  if (args.only.has('4')) {
    // Section 4 runs in a real Chromium: the dashboard's frame times and its heap over a simulated day.
    console.log('\n## 4. Webview: render per frame and heap over a simulated 24 h (8 GPUs, real uPlot in Chromium)\n');
    const r = spawnSync(process.execPath, ['test/unit/webview/renderBench.mjs'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`the webview benchmark failed (exit ${r.status})`);
  }
  writeFileSync(`${OUT}/telemetry.json`, JSON.stringify(results, null, 2));
  console.log(`\n(${Math.round((Date.now() - started) / 1000)} s in all; raw numbers in out/bench/telemetry.json)`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
