// @ts-check
/**
 * Device probe: the extension's telemetry code against a real GPU's nvidia-smi.
 *   node scripts/device/probe.mjs build   → .cache/device/{probe.cjs,node.gz} (carried to the device machine)
 *   node scripts/device/probe.mjs run OUT → raw captures + what our parsers made of them, into OUT
 * On the device: `gzip -dc .cache/device/node.gz > /tmp/node && chmod +x /tmp/node && /tmp/node scripts/device/probe.mjs run $OUT`
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, createReadStream, createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const CACHE = path.join(ROOT, '.cache/device');

async function build() {
  const esbuild = await import('esbuild');
  mkdirSync(CACHE, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'scripts/device/probeEntry.ts')],
    bundle: true, platform: 'node', format: 'cjs', target: 'node18', outfile: path.join(CACHE, 'probe.cjs'), logLevel: 'warning',
  });
  await pipeline(createReadStream(process.execPath), createGzip({ level: 6 }), createWriteStream(path.join(CACHE, 'node.gz')));
  console.log(`built ${CACHE}/probe.cjs and node.gz (from ${process.execPath}, ${process.version})`);
}

/** @param {string[]} args */
function capture(args) {
  try {
    return { code: 0, stdout: execFileSync('nvidia-smi', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 }) };
  } catch (e) {
    const err = /** @type {{status?: number, stdout?: string, stderr?: string}} */ (e);
    return { code: err.status ?? -1, stdout: String(err.stdout ?? ''), stderr: String(err.stderr ?? '') };
  }
}

/** @param {string} out */
async function run(out) {
  const probe = createRequire(import.meta.url)(path.join(CACHE, 'probe.cjs'));
  const caps = path.join(out, 'captures');
  mkdirSync(caps, { recursive: true });
  const fields = probe.GPU_STREAM_FIELDS.map((/** @type {{name: string}} */ f) => f.name).join(',');
  /** @type {Record<string, string[]>} */
  const raw = {
    'nvidia-smi.txt': [],
    'nvidia-smi-L.txt': ['-L'],
    'help-query-gpu.txt': ['--help-query-gpu'],
    'nvidia-smi-q.txt': ['-q'],
    'query-stream-fields.csv': [`--query-gpu=timestamp,index,${fields}`, '--format=csv'],
    'query-stream-fields-noheader-nounits.csv': [`--query-gpu=timestamp,index,${fields}`, '--format=csv,noheader,nounits'],
    'query-inventory.csv': ['--query-gpu=index,name,memory.total,uuid', '--format=csv,noheader,nounits'],
    'query-compute-apps.csv': ['--query-compute-apps=timestamp,gpu_uuid,pid,process_name,used_memory', '--format=csv'],
    'bogus-field.txt': ['--query-gpu=index,bogus.field', '--format=csv'],
  };
  /** @type {Record<string, number>} */
  const codes = {};
  for (const [name, args] of Object.entries(raw)) {
    const r = capture(args);
    codes[name] = r.code;
    writeFileSync(path.join(caps, name), r.stdout + (r.stderr ? `\n--- stderr ---\n${r.stderr}` : ''));
  }
  /** @type {Record<string, unknown>} */
  const result = { node: process.version, exitCodes: codes };
  const inventory = await probe.runRemote(probe.localTransport, probe.gpuInventoryCommand);
  result.inventory = inventory;
  const help = await probe.localTransport.exec(probe.helpQueryGpuCommand.argv);
  const negotiated = probe.negotiateFields(probe.GPU_STREAM_FIELDS, probe.helpQueryGpuCommand.parse(help));
  result.droppedFields = negotiated.dropped.map((/** @type {{name: string}} */ f) => f.name);
  result.negotiated = negotiated;

  // With a GPU workload (the device has PyTorch): busy, then idle with memory held, then gone; what a training run
  // and its stall look like, observed by our own code while it happens.
  const load = process.env.PROBE_TORCH ? spawn(process.env.PROBE_TORCH, ['-c', TORCH_LOAD], { stdio: ['ignore', 'inherit', 'inherit'] }) : undefined;
  const telemetry = probe.startTelemetry(500);
  /** @type {unknown[]} */
  const views = [];
  telemetry.onChange((/** @type {any} */ v) => views.push({ at: Date.now(), state: v.state.kind ?? v.state, gpus: v.gpus, processes: v.processes }));
  const release = telemetry.acquire('device-probe');
  if (load) {
    await new Promise((r) => setTimeout(r, 8_000));
    const apps = capture(['--query-compute-apps=timestamp,gpu_uuid,pid,process_name,used_memory', '--format=csv']);
    writeFileSync(path.join(caps, 'query-compute-apps-busy.csv'), apps.stdout);
    writeFileSync(path.join(caps, 'nvidia-smi-busy.txt'), capture([]).stdout);
    await new Promise((r) => load.on('exit', r));
    await new Promise((r) => setTimeout(r, 3_000));
  } else {
    await new Promise((r) => setTimeout(r, 15_000));
  }
  result.snapshot = telemetry.snapshot('5m');
  release();
  telemetry.dispose();
  result.changes = views.length;
  writeFileSync(path.join(out, 'raw-stream.tsv'), probe.rawStreamLines.join('\n') + '\n');
  writeFileSync(path.join(out, 'views.json'), JSON.stringify(views, null, 1));
  writeFileSync(path.join(out, 'probe-result.json'), JSON.stringify(result, null, 1));
  const last = /** @type {any} */ (views.at(-1));
  console.log(JSON.stringify({ exitCodes: codes, inventory, droppedFields: result.droppedFields, changes: views.length, lastState: last?.state, lastGpus: last?.gpus?.slice(0, 2), processes: last?.processes }, null, 1).slice(0, 6000));
}

/**
 * A small training run in miniature: 10 s of matmuls, a 2 s pause (a checkpoint write), 10 s more, then 12 s holding
 * 4 GiB at 0 % (a stalled run), then exit. synchronize() in the loop keeps the GPU's queue from running on after
 * the phase ends.
 */
const TORCH_LOAD = `
import time, torch
x = torch.randn(8192, 8192, device='cuda'); hold = torch.empty(4 << 30, dtype=torch.uint8, device='cuda')
def busy(seconds):
    t = time.time()
    while time.time() - t < seconds:
        y = x @ x; torch.cuda.synchronize()
busy(10); print('checkpoint pause', flush=True); time.sleep(2); busy(10)
print('stalled, memory held', flush=True); time.sleep(12); print('exit', flush=True)
`;

const [cmd, out] = process.argv.slice(2);
if (cmd === 'build') await build();
else if (cmd === 'run' && out) await run(out);
else { console.error('usage: probe.mjs build | run OUTDIR'); process.exit(2); }
