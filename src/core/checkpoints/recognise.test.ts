import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScanEntry } from './checkpoint';
import { DEFAULT_CHECKPOINT_SETTINGS } from './checkpointSettings';
import { deepSpeedTree, hfTrainerTree, lightningTree, nanoGptTree, parseFindTsv } from './checkpointTrees.testkit';
import { recognise, stepFromName } from './recognise';

const opts = { disabled: [], extraPatterns: [] };
const MB = 1024 * 1024;

describe('recognise', () => {
  it('the real H100 run: four step_NNNNNN.pt files, steps from the names, newest first', () => {
    const entries = parseFindTsv(readFileSync(new URL('../../../test/fixtures/checkpoints/ckpt-find.tsv', import.meta.url), 'utf8'));
    const found = recognise(entries, opts);
    expect(found.map((c) => [c.path, c.step, c.format, c.sizeBytes])).toEqual([
      ['checkpoints/step_002449.pt', 2449, 'pytorch', 268_507_275],
      ['checkpoints/step_001832.pt', 1832, 'pytorch', 268_507_275],
      ['checkpoints/step_001214.pt', 1214, 'pytorch', 268_507_275],
      ['checkpoints/step_000595.pt', 595, 'pytorch', 268_507_275],
    ]);
    expect(found[0]?.mtimeMs).toBe(1_795_341_973_019);
  });

  it('Hugging Face checkpoint-N folders are one checkpoint each, size = sum of their files, shards inside claimed', () => {
    const tree = hfTrainerTree([500, 1000, 1500]);
    const found = recognise(tree, opts);
    expect(found.map((c) => c.path)).toEqual(['runs/llama/checkpoint-1500', 'runs/llama/checkpoint-1000', 'runs/llama/checkpoint-500']);
    const newest = found[0];
    expect(newest).toMatchObject({ kind: 'folder', format: 'huggingface', step: 1500, complete: true });
    const inFolder = tree.filter((e) => e.path.startsWith('runs/llama/checkpoint-1500/'));
    expect(newest?.files).toHaveLength(10);
    expect(newest?.sizeBytes).toBe(inFolder.reduce((n, e) => n + e.size, 0));
    expect(newest?.mtimeMs).toBe(Math.max(...inFolder.map((e) => e.mtimeMs)));
  });

  it('sharded safetensors outside a folder: one checkpoint with its index; a missing shard is incomplete', () => {
    const t = 1_000_000;
    const shard = (i: number, n: number, dir = 'final'): ScanEntry => ({ path: `${dir}/model-${String(i).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`, size: 4 * MB, mtimeMs: t + i });
    const entries = [shard(1, 4), shard(2, 4), shard(3, 4), shard(4, 4), { path: 'final/model.safetensors.index.json', size: 30_000, mtimeMs: t }, shard(1, 3, 'partial'), shard(2, 3, 'partial')];
    const found = recognise(entries, opts);
    expect(found).toHaveLength(2);
    const full = found.find((c) => c.path.startsWith('final/'));
    expect(full).toMatchObject({ path: 'final/model-*-of-00004.safetensors', kind: 'shards', format: 'safetensors', complete: true, sizeBytes: 16 * MB + 30_000 });
    expect(full?.files).toHaveLength(5);
    expect(found.find((c) => c.path.startsWith('partial/'))).toMatchObject({ complete: false, sizeBytes: 8 * MB });
  });

  it('Lightning epoch=E-step=S.ckpt gives epoch and step; last.ckpt is tagged last', () => {
    const found = recognise(lightningTree([[0, 1000], [1, 2000], [2, 3000]]), opts);
    expect(found[0]).toMatchObject({ path: 'lightning_logs/version_0/checkpoints/last.ckpt', tag: 'last', format: 'lightning' });
    expect(found[1]).toMatchObject({ epoch: 2, step: 3000, format: 'lightning' });
    expect(found.map((c) => c.step)).toEqual([undefined, 3000, 2000, 1000]);
    const withMetric = recognise([{ path: 'ck/epoch=7-step=8800-val_loss=0.21.ckpt', size: 1, mtimeMs: 1 }], opts);
    expect(withMetric[0]).toMatchObject({ epoch: 7, step: 8800 });
  });

  it('DeepSpeed global_stepN folders; a folder newer than `latest` is still being written', () => {
    const tree = deepSpeedTree([100, 200]);
    expect(recognise(tree, opts).map((c) => [c.path, c.step, c.complete, c.files.length])).toEqual([
      ['ds_ckpt/global_step200', 200, true, 5],
      ['ds_ckpt/global_step100', 100, true, 5],
    ]);
    const writing = [...tree, { path: 'ds_ckpt/global_step300/mp_rank_00_model_states.pt', size: MB, mtimeMs: Date.UTC(2026, 10, 22, 11) }];
    expect(recognise(writing, opts)[0]).toMatchObject({ path: 'ds_ckpt/global_step300', complete: false });
  });

  it('the HF Trainer with DeepSpeed: checkpoint-N/global_stepN belongs to the outer HF folder', () => {
    const entries: ScanEntry[] = [
      { path: 'out/checkpoint-40/global_step40/mp_rank_00_model_states.pt', size: 10, mtimeMs: 5 },
      { path: 'out/checkpoint-40/latest', size: 12, mtimeMs: 6 },
      { path: 'out/checkpoint-40/trainer_state.json', size: 3, mtimeMs: 6 },
    ];
    expect(recognise(entries, opts)).toEqual([expect.objectContaining({ path: 'out/checkpoint-40', format: 'huggingface', sizeBytes: 25, step: 40 })]);
  });

  it('datasets named *.bin are not checkpoints; weights named so are', () => {
    const found = recognise([...nanoGptTree(), { path: 'hf/pytorch_model.bin', size: 5, mtimeMs: 9 }], opts);
    expect(found.map((c) => c.path).sort()).toEqual(['hf/pytorch_model.bin', 'out/ckpt.pt']);
  });

  it('disabled recognisers and extra patterns', () => {
    const entries: ScanEntry[] = [
      { path: 'a/step_10.pt', size: 1, mtimeMs: 1 },
      { path: 'a/weights.msgpack', size: 2, mtimeMs: 2 },
      { path: 'a/model.safetensors', size: 3, mtimeMs: 3 },
      { path: 'a/run_step_20.pkl', size: 4, mtimeMs: 4 },
    ];
    expect(recognise(entries, opts).map((c) => c.path)).toEqual(['a/run_step_20.pkl', 'a/model.safetensors', 'a/step_10.pt']);
    const custom = recognise(entries, { disabled: ['safetensors', 'pytorch'], extraPatterns: ['*.msgpack'] });
    // step_10.pt survives through the step-number recogniser even with pytorch off.
    expect(custom.map((c) => [c.path, c.format])).toEqual([
      ['a/run_step_20.pkl', 'custom'],
      ['a/weights.msgpack', 'custom'],
      ['a/step_10.pt', 'pytorch'],
    ]);
    expect(recognise(entries, { disabled: [...DEFAULT_CHECKPOINT_SETTINGS.disabled, 'stepNumber', 'pytorch', 'safetensors', 'lightning'], extraPatterns: [] })).toEqual([]);
  });

  it('step numbers in names', () => {
    expect(stepFromName('step_000595.pt')).toBe(595);
    expect(stepFromName('model-step=100.safetensors')).toBe(100);
    expect(stepFromName('iter_0001000.pth')).toBe(1000);
    expect(stepFromName('global_step42')).toBe(42);
    expect(stepFromName('steps.pt')).toBeUndefined();
    expect(stepFromName('model.pt')).toBeUndefined();
  });
});
