// @ts-check
// `npm run bench:exec`: round-trip time of one exec on a pooled connection against the OpenSSH rig (200 sequential
// `true` execs per row by default), with Nagle on (ssh2's default) and off (what SshConnection sets), each for a plain
// exec and for one with a timeout (which runs inside the stdin watchdog), as a markdown table.
//   --runs=N   execs per row (default 200; 10 more before them warm the connection and are not counted)
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startSshd } from '../../test/rig/sshd.mjs';
import { RIG_HOME, markdownTable, percentile } from '../../test/rig/benchUtil.mjs';
import { bundleBenchEntry } from './bundleEntry.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = `${ROOT}out/bench`;

async function main() {
  const runs = Number((process.argv.find((a) => a.startsWith('--runs=')) ?? '--runs=200').slice(7));
  const entry = await bundleBenchEntry('execBenchEntry');
  console.log(`# Exec round trip\n\nnode ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'}), OpenSSH rig on loopback.\n${runs} sequential \`true\` execs per row, half on each of two fresh connections taken in turn with the other rows (10 more on each warm it up and are not counted).\n`);
  const rig = await startSshd({ env: { HOME: RIG_HOME } });
  /** @type {(string | number)[][]} */
  const rows = [];
  /** @type {Record<string, number[]>} */
  const raw = {};
  try {
    // Interleaved twice (a, b, a, b) so load from other work on the machine falls on every row alike.
    for (let round = 0; round < 2; round++) {
      for (const nagle of [true, false]) {
        for (const guarded of [false, true]) {
          // A fresh connection per row, so no row inherits another's socket state.
          const conn = await entry.connect(rig);
          try {
            await entry.timeExecs(conn, 10, { nagle, guarded });
            const key = `nagle:${nagle ? 'on' : 'off'} exec:${guarded ? 'with timeout (stdin watchdog)' : 'plain'}`;
            raw[key] = [...(raw[key] ?? []), ...(await entry.timeExecs(conn, Math.ceil(runs / 2), { nagle, guarded }))];
          } finally {
            conn.dispose();
          }
        }
      }
    }
  } finally {
    await rig.stop();
  }
  for (const [key, ms] of Object.entries(raw)) {
    const [nagle, exec] = [key.slice(6, key.indexOf(' ')), key.slice(key.indexOf('exec:') + 5)];
    rows.push([nagle === 'on' ? 'on (ssh2 default)' : 'off (setNoDelay)', exec, ms.length, percentile(ms, 50).toFixed(1), percentile(ms, 95).toFixed(1), Math.max(...ms).toFixed(1)]);
  }
  console.log(markdownTable(['Nagle', 'exec', 'execs', 'median ms', 'p95 ms', 'max ms'], rows));
  writeFileSync(`${OUT}/exec.json`, JSON.stringify(raw, null, 2));
  console.log('\n(raw numbers in out/bench/exec.json)');
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
