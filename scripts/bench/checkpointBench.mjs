// @ts-check
// `npm run bench:checkpoints`: issue 6's scan target (10,000 files in under 1 s) against the OpenSSH rig, for both
// ways a scan runs (one `find -printf` exec, and the SFTP walk used where find cannot print), each with the log part
// (issue 5's progress files, listed by the same pass) off and on, as a markdown table.
//   --runs=N   scans per row (default 10; the first of each row is a warm-up and not counted)
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startSshd } from '../../test/rig/sshd.mjs';
import { RIG_HOME, markdownTable, percentile } from '../../test/rig/benchUtil.mjs';
import { bundleBenchEntry } from './bundleEntry.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = `${ROOT}out/bench`;


const T0 = Math.floor(Date.now() / 1000) - 86_400;

/**
 * @param {string} dir
 * @param {string} rel
 * @param {number} i
 */
function touch(dir, rel, i) {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
  utimesSync(path, T0 + i, T0 + i);
}

/**
 * The trees: 10,000 checkpoint files in one folder; and a project of 10,000 files of which 1 % are checkpoints.
 * @param {string} base
 */
function makeTrees(base) {
  const flat = join(base, 'flat');
  for (let i = 0; i < 10_000; i++) touch(flat, `checkpoints/step_${String(i).padStart(6, '0')}.pt`, i);
  const mixed = join(base, 'mixed');
  for (let i = 0; i < 9_900; i++) touch(mixed, `data/shard_${Math.floor(i / 100)}/sample_${i}.jsonl`, i);
  for (let i = 0; i < 10; i++) for (const f of ['config.json', 'model.safetensors', 'optimizer.pt', 'scheduler.pt', 'rng_state.pth', 'trainer_state.json', 'training_args.bin', 'tokenizer.json', 'special_tokens_map.json', 'tokenizer_config.json']) touch(mixed, `runs/checkpoint-${(i + 1) * 500}/${f}`, i);
  // What a run leaves beside its checkpoints: console logs, TensorBoard events, Lightning metrics, and a wandb run
  // folder (which the log part enters for its output.log, walking its media too).
  for (const f of ['train.log', 'nohup.out', 'runs/events.out.tfevents.1795341900.host.1.0', 'lightning_logs/version_0/metrics.csv', 'wandb/run-1/files/output.log', 'wandb/run-1/logs/debug-internal.log']) touch(mixed, f, 1);
  for (let i = 0; i < 100; i++) touch(mixed, `wandb/run-1/files/media/images/sample_${i}.png`, i);
  return { flat, mixed };
}

async function main() {
  const runs = Number((process.argv.find((a) => a.startsWith('--runs=')) ?? '--runs=10').slice(7));
  const entry = await bundleBenchEntry('checkpointBenchEntry');
  const base = join(RIG_HOME, 'trees');
  const t = performance.now();
  const trees = makeTrees(base);
  console.log(`# Checkpoint scan benchmark\n\nnode ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'}), OpenSSH rig on loopback; trees made in ${Math.round(performance.now() - t)} ms.\nMedian and p95 of ${runs} scans on a warm connection (after one warm-up); "recognise" is the pure step after the scan.\n`);
  const rig = await startSshd({ env: { HOME: RIG_HOME } });
  /** @type {(string | number)[][]} */
  const rows = [];
  /** @type {Record<string, unknown>} */
  const raw = {};
  try {
    for (const [tree, root] of [['10,000 checkpoint files, one folder', trees.flat], ['10,000 files, 100 checkpoint files in 10 HF folders, 6 logs, a wandb run', trees.mixed]]) {
      for (const via of ['find', 'sftp']) {
        for (const logs of [false, true]) {
          // A fresh connection per row, so no row inherits another's warm socket or open channels.
          const conn = await entry.connect(rig);
          try {
            await entry.timeScans(conn, root, via, 1, logs);
            const r = await entry.timeScans(conn, root, via, runs, logs);
            raw[`${tree} ${via} logs:${String(logs)}`] = r;
            const fmt = (/** @type {number} */ v) => v.toFixed(0);
            const scan = via === 'find' ? 'one `find -printf` exec' : 'SFTP walk (busybox fallback)';
            rows.push([tree, scan, logs ? 'on' : 'off', r.files, r.logs, r.checkpoints, fmt(percentile(r.ms, 50)), fmt(percentile(r.ms, 95)), percentile(r.recogniseMs, 50).toFixed(1), percentile(r.ms, 95) < 1000 ? 'yes' : 'NO']);
          } finally {
            conn.dispose();
          }
        }
      }
    }
  } finally {
    await rig.stop();
  }
  console.log(markdownTable(['tree', 'scan', 'log part', 'files listed', 'logs listed', 'checkpoints', 'median ms', 'p95 ms', 'recognise ms', 'p95 < 1 s'], rows));
  writeFileSync(`${OUT}/checkpoints.json`, JSON.stringify(raw, null, 2));
  console.log('\n(raw numbers in out/bench/checkpoints.json)');
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
