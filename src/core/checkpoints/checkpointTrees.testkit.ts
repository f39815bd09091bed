import type { ScanEntry } from './checkpoint';

/**
 * Realistic trees as the scan would list them (paths relative to the project root), generated rather than typed
 * out: the layouts are those the named libraries write. `t0` is a base mtime in ms; each save is `gapMs` later.
 */
export interface TreeOptions {
  readonly t0?: number;
  readonly gapMs?: number;
}

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const MB = 1024 * 1024;

function files(dir: string, mtimeMs: number, spec: Record<string, number>): ScanEntry[] {
  return Object.entries(spec).map(([name, size], i) => ({ path: `${dir}/${name}`, size, mtimeMs: mtimeMs + i }));
}

/** Hugging Face Trainer: output_dir/checkpoint-N/ per save_steps, plus the final model sharded in output_dir. */
export function hfTrainerTree(steps: readonly number[], o: TreeOptions = {}): ScanEntry[] {
  const t0 = o.t0 ?? T0;
  const gap = o.gapMs ?? 60_000;
  return steps.flatMap((step, i) =>
    files(`runs/llama/checkpoint-${step}`, t0 + i * gap, {
      'config.json': 700,
      'generation_config.json': 180,
      'model-00001-of-00002.safetensors': 4900 * MB,
      'model-00002-of-00002.safetensors': 1800 * MB,
      'model.safetensors.index.json': 24_000,
      'optimizer.pt': 13_000 * MB,
      'scheduler.pt': 1_064,
      'rng_state.pth': 14_244,
      'trainer_state.json': 3_400,
      'training_args.bin': 5_240,
    }),
  );
}

/** DeepSpeed engine.save_checkpoint(dir): dir/global_stepN/ with model and ZeRO optimizer shards, and dir/latest. */
export function deepSpeedTree(steps: readonly number[], o: TreeOptions & { ranks?: number } = {}): ScanEntry[] {
  const t0 = o.t0 ?? T0;
  const gap = o.gapMs ?? 60_000;
  const out = steps.flatMap((step, i) => {
    const spec: Record<string, number> = { 'mp_rank_00_model_states.pt': 2_600 * MB };
    for (let r = 0; r < (o.ranks ?? 4); r++) spec[`zero_pp_rank_${r}_mp_rank_00_optim_states.pt`] = 3_900 * MB;
    return files(`ds_ckpt/global_step${step}`, t0 + i * gap, spec);
  });
  out.push({ path: 'ds_ckpt/latest', size: `global_step${steps[steps.length - 1] ?? 0}`.length, mtimeMs: t0 + (steps.length - 1) * gap + 1_000 });
  return out;
}

/** PyTorch Lightning ModelCheckpoint(save_last=True) in lightning_logs/version_0/checkpoints. */
export function lightningTree(saves: readonly [epoch: number, step: number][], o: TreeOptions = {}): ScanEntry[] {
  const t0 = o.t0 ?? T0;
  const gap = o.gapMs ?? 60_000;
  const dir = 'lightning_logs/version_0/checkpoints';
  const out = saves.map(([e, s], i) => ({ path: `${dir}/epoch=${e}-step=${s}.ckpt`, size: 1_400 * MB, mtimeMs: t0 + i * gap }));
  out.push({ path: `${dir}/last.ckpt`, size: 1_400 * MB, mtimeMs: t0 + (saves.length - 1) * gap + 5 });
  return out;
}

/** nanoGPT-style: data/*.bin are token datasets (not checkpoints), out/ckpt.pt is the checkpoint. */
export function nanoGptTree(o: TreeOptions = {}): ScanEntry[] {
  const t0 = o.t0 ?? T0;
  return [
    { path: 'data/openwebtext/train.bin', size: 17_000 * MB, mtimeMs: t0 - 86_400_000 },
    { path: 'data/openwebtext/val.bin', size: 8 * MB, mtimeMs: t0 - 86_400_000 },
    { path: 'out/ckpt.pt', size: 1_500 * MB, mtimeMs: t0 },
  ];
}

/** The real H100 run's checkpoints (test/fixtures/checkpoints/ckpt-find.tsv: `%p\t%s\t%T@` per line). */
export function parseFindTsv(text: string): ScanEntry[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [path = '', size = '0', mtime = '0'] = line.split('\t');
      return { path, size: Number(size), mtimeMs: Math.round(Number(mtime) * 1000) };
    });
}
