import { describe, expect, it } from 'vitest';
import { parseModelSize, runAdvisor, type ConfigFile } from '../../../src/core/advisor/advisorFlow';
import { BACK, type PickStep } from '../../../src/core/provisioning/provisionUi';
import { choose, FakeProvider, offer, ScriptedUi } from '../provisioning/wizardKit';

const LLAMA2_7B = { model_type: 'llama', hidden_size: 4096, intermediate_size: 11008, num_attention_heads: 32, num_hidden_layers: 32, vocab_size: 32000 };
const configs = (files: ConfigFile[]) => async () => files;
const items = (s: unknown) => (s as PickStep<unknown>).items;
const pickValue = (pred: (label: string) => boolean) => (s: never) => items(s).find((i) => pred(i.label))?.value;

function providers() {
  const lambda = new FakeProvider('lambda', [
    offer('lambda', 'a10', { gpuModel: 'A10', vramGiB: 24, priceMicrosPerHour: 750_000 }),
    offer('lambda', 'h100x8', { gpuModel: 'H100', gpuCount: 8, vramGiB: 80, priceMicrosPerHour: 23_920_000 }),
  ]);
  const runpod = new FakeProvider('runpod', [offer('runpod', 'rtx4090', { gpuModel: 'RTX 4090', vramGiB: 24, maxGpuCount: 8, priceMicrosPerHour: 690_000 })]);
  return [lambda, runpod];
}

describe('Recommend a GPU', () => {
  it('a 7B model for BF16 inference: fits one 24 GB GPU; the cheapest fit is first and goes to provisioning', async () => {
    const ui = new ScriptedUi([
      ['model', choose(/^Enter the size/)],
      ['model.size', () => '7'],
      ['workload', choose(/^Inference/)],
      ['precision', choose(/^BF16/)],
      ['batch', () => '1'],
      ['sequence', () => '4096'],
      ['offers', (s: never) => items(s)[1]?.value],
    ]);
    const outcome = await runAdvisor({ ui, providers: async () => providers(), configFiles: configs([]) });
    expect(outcome.kind).toBe('chosen');
    if (outcome.kind !== 'chosen') return;
    expect(outcome.candidate.offer.id).toBe('rtx4090');
    expect(outcome.fit.mode).toBe('oneGpu');
    const offers = ui.seen.find((x) => x.id === 'offers')?.step as PickStep<unknown>;
    expect(offers.items[0]?.label).toMatch(/GB on one GPU/);
    expect(offers.items[0]?.detail).toMatch(/^weights 14\.0 GB \+ KV cache 2\.\d+ GB/);
    expect(offers.items.map((i) => i.description ?? '').filter((d) => d.startsWith('fits on one GPU'))).toHaveLength(3);
    expect(offers.items.some((i) => /Under a week|Long runs/.test(i.label))).toBe(true);
  });

  it('a config.json from the workspace, full fine-tuning of Llama 2 7B (108 GB of states): the per-GPU-priced pod asks for several GPUs', async () => {
    const ui = new ScriptedUi([
      ['model', pickValue((l) => l.includes('config.json'))],
      ['workload', choose(/^Full fine-tuning/)],
      ['precision', (s: never) => {
        // INT8/INT4 are not offered for full training.
        expect(items(s).map((i) => i.value)).toEqual(['bf16', 'fp32', 'fp8']);
        return 'bf16';
      }],
      ['batch', () => '1'],
      ['sequence', () => '512'],
      ['checkpointing', choose(/^On/)],
      ['offers', (s: never) => items(s).find((i) => i.description?.includes('needs'))?.value],
    ]);
    const outcome = await runAdvisor({ ui, providers: async () => providers(), configFiles: configs([{ label: 'model/config.json', read: async () => LLAMA2_7B }]) });
    expect(outcome.kind).toBe('chosen');
    if (outcome.kind !== 'chosen') return;
    // 6.74B x 16 bytes = 108 GB of states: more than one 80 GB H100, split across several.
    expect(outcome.fit.mode).toBe('modelParallel');
    expect(outcome.fit.gpus).toBeGreaterThan(1);
    if (outcome.candidate.offer.provider === 'runpod') expect(outcome.candidate.requestGpuCount).toBe(outcome.fit.gpus);
  });

  it('Back returns to the previous step; a broken config.json is explained and the model is asked again; Escape cancels', async () => {
    const warnings: string[] = [];
    const ui = new ScriptedUi([
      ['model', pickValue((l) => l.includes('broken'))],
      ['warn', () => undefined],
      ['model', choose(/^Enter the size/)],
      ['model.size', () => '13b'],
      ['workload', choose(/^QLoRA/)],
      // QLoRA has no precision step: its base is NF4.
      ['batch', () => BACK],
      ['workload', () => undefined],
    ]);
    const original = ui.warn.bind(ui);
    ui.warn = async (m, a) => {
      warnings.push(m);
      return original(m, a);
    };
    const outcome = await runAdvisor({ ui, providers: async () => providers(), configFiles: configs([{ label: 'broken/config.json', read: async () => ({ hidden_size: 'x' }) }]) });
    expect(outcome).toEqual({ kind: 'cancelled' });
    expect(warnings[0]).toMatch(/^broken\/config\.json: config\.json has an unexpected hidden_size/);
    expect(ui.remaining).toEqual([]);
  });

  it('reads sizes the way people type them', () => {
    expect(parseModelSize('7')).toBe(7e9);
    expect(parseModelSize('1.5b')).toBe(1.5e9);
    expect(parseModelSize('350M')).toBe(350e6);
    expect(parseModelSize('seven')).toBeUndefined();
    expect(parseModelSize('-1')).toBeUndefined();
  });
});
