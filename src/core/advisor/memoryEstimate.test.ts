import { describe, expect, it } from 'vitest';
import { RemoteGpuError } from '../errors';
import type { EstimateInput, MemoryEstimate, PartKey } from './memoryEstimate';
import { estimateMemory } from './memoryEstimate';
import { shapeFromHfConfig, shapeFromParams } from './modelShape';

const GB = 1e9;
const part = (e: MemoryEstimate, key: PartKey) => e.parts.find((p) => p.key === key)?.bytes ?? 0;
const sum = (e: MemoryEstimate, ...keys: PartKey[]) => keys.reduce((s, k) => s + part(e, k), 0);

/** meta-llama/Llama-2-7b-hf config.json (the fields that matter). */
const LLAMA2_7B = { model_type: 'llama', hidden_size: 4096, intermediate_size: 11008, num_attention_heads: 32, num_hidden_layers: 32, num_key_value_heads: 32, vocab_size: 32000, hidden_act: 'silu', tie_word_embeddings: false };
const SEVEN_B = shapeFromParams(7e9);
const base = (over: Partial<EstimateInput>): EstimateInput => ({ model: SEVEN_B, workload: 'inference', precision: 'bf16', batchSize: 1, sequenceLength: 1, ...over });

describe('weights against published figures', () => {
  it('a 7B model: 28 GB in FP32, 14 GB in FP16, 7 GB in INT8 (a quarter of FP32), 3.5 GB in INT4', () => {
    expect(part(estimateMemory(base({ precision: 'fp32' })), 'weights') / GB).toBeCloseTo(28, 6);
    expect(part(estimateMemory(base({ precision: 'fp16' })), 'weights') / GB).toBeCloseTo(14, 6);
    expect(part(estimateMemory(base({ precision: 'int8' })), 'weights') / GB).toBeCloseTo(7, 6);
    expect(part(estimateMemory(base({ precision: 'int4' })), 'weights') / GB).toBeCloseTo(3.5, 6);
  });

  it('names every part and sums them: quantised weights carry their scales as their own part', () => {
    const e = estimateMemory(base({ precision: 'int4', sequenceLength: 2048 }));
    expect(e.parts.map((p) => p.key)).toEqual(['weights', 'quantConstants', 'kvCache', 'activations', 'logits', 'cudaContext', 'allocator']);
    expect(e.totalBytes).toBeCloseTo(e.parts.reduce((s, p) => s + p.bytes, 0), 3);
    expect(part(e, 'quantConstants') / GB).toBeCloseTo(7e9 * (4 / 128) / GB, 6);
  });
});

describe('training states: the ZeRO paper (7.5B on 64 GPUs: 120, 31.4, 16.6, 1.9 GB)', () => {
  const model = { ...shapeFromParams(7.5e9), params: 7.5e9 };
  const states = (stage: 0 | 1 | 2 | 3) =>
    sum(estimateMemory({ model, workload: 'full', precision: 'bf16', batchSize: 1, sequenceLength: 1, zero: { stage, gpus: 64 } }), 'weights', 'gradients', 'optimizer', 'masterWeights') / GB;
  it('16 bytes per parameter in mixed precision, sharded stage by stage', () => {
    expect(states(0)).toBeCloseTo(120, 6);
    expect(states(1)).toBeCloseTo(31.4, 1);
    expect(states(2)).toBeCloseTo(16.6, 1);
    expect(states(3)).toBeCloseTo(1.9, 1);
  });

  it('FP32 training is 16 bytes too (no separate master copy); INT8 full training is refused with a reason', () => {
    const e = estimateMemory({ model, workload: 'full', precision: 'fp32', batchSize: 1, sequenceLength: 1 });
    expect(sum(e, 'weights', 'gradients', 'optimizer', 'masterWeights') / GB).toBeCloseTo(120, 6);
    expect(part(e, 'masterWeights')).toBe(0);
    expect(() => estimateMemory({ model, workload: 'full', precision: 'int8', batchSize: 1, sequenceLength: 1 })).toThrow(RemoteGpuError);
  });
});

describe('model shapes from config.json', () => {
  it('Llama 2 7B: 6.74B parameters', () => {
    expect(shapeFromHfConfig(LLAMA2_7B).params / 1e9).toBeCloseTo(6.74, 2);
  });

  it('Mistral 7B (grouped-query attention, 8 KV heads): 7.24B', () => {
    const mistral = { model_type: 'mistral', hidden_size: 4096, intermediate_size: 14336, num_attention_heads: 32, num_hidden_layers: 32, num_key_value_heads: 8, vocab_size: 32000, tie_word_embeddings: false };
    expect(shapeFromHfConfig(mistral).params / 1e9).toBeCloseTo(7.24, 2);
  });

  it('GPT-2 small (tied embeddings, learned positions, biases): 124M', () => {
    const gpt2 = { model_type: 'gpt2', n_embd: 768, n_layer: 12, n_head: 12, vocab_size: 50257, n_positions: 1024, n_inner: null };
    expect(shapeFromHfConfig(gpt2).params / 1e6).toBeCloseTo(124.4, 0);
  });

  it('a multimodal config is read from its text_config; a config without a hidden size is a clear error', () => {
    expect(shapeFromHfConfig({ model_type: 'llava', text_config: LLAMA2_7B }).params).toBe(shapeFromHfConfig(LLAMA2_7B).params);
    expect(() => shapeFromHfConfig({ vocab_size: 10 })).toThrow('config.json has no hidden_size.');
    expect(() => shapeFromHfConfig({ hidden_size: 'big' })).toThrow(/unexpected hidden_size/);
    expect(() => shapeFromHfConfig('nope')).toThrow(RemoteGpuError);
  });

  it('a bare parameter count gets a Llama-like shape, flagged as assumed', () => {
    const s = shapeFromParams(7e9);
    expect(s.assumed).toBe(true);
    expect(s.hidden).toBeGreaterThanOrEqual(3968);
    expect(s.hidden).toBeLessThanOrEqual(4352);
    expect(() => shapeFromParams(0)).toThrow(RemoteGpuError);
  });
});

describe('KV cache and activations', () => {
  const llama = shapeFromHfConfig(LLAMA2_7B);
  it('Llama 2 7B keeps 0.5 MiB of FP16 KV cache per token: 2 GiB for one 4096-token sequence, half in FP8', () => {
    const e = estimateMemory({ model: llama, workload: 'inference', precision: 'fp16', batchSize: 1, sequenceLength: 4096 });
    expect(part(e, 'kvCache')).toBe(4096 * 2 * 32 * 4096 * 2);
    expect(part(e, 'kvCache') / 2 ** 30).toBe(2);
    expect(part(estimateMemory({ model: llama, workload: 'inference', precision: 'fp8', batchSize: 1, sequenceLength: 4096 }), 'kvCache') / 2 ** 30).toBe(1);
  });

  it('grouped-query attention shrinks the KV cache by heads / kv_heads', () => {
    const gqa = { ...llama, kvHeads: 8 };
    const e = (m: typeof llama) => part(estimateMemory({ model: m, workload: 'inference', precision: 'bf16', batchSize: 8, sequenceLength: 2048 }), 'kvCache');
    expect(e(llama) / e(gqa)).toBe(4);
  });

  it('activations: 34·s·b·h bytes per layer with FlashAttention, plus 5·a·s²·b without; checkpointing keeps 2·s·b·h per layer', () => {
    const input: EstimateInput = { model: llama, workload: 'full', precision: 'bf16', batchSize: 2, sequenceLength: 2048 };
    const sbh = 2048 * 2 * 4096;
    expect(part(estimateMemory(input), 'activations')).toBe(32 * sbh * 34);
    expect(part(estimateMemory({ ...input, flashAttention: false }), 'activations')).toBe(32 * sbh * (34 + (5 * 32 * 2048) / 4096));
    expect(part(estimateMemory({ ...input, gradientCheckpointing: true }), 'activations')).toBe(32 * 2 * sbh + 34 * sbh);
    expect(part(estimateMemory(input), 'logits')).toBe(2 * 2048 * 32000 * 4);
  });
});

describe('LoRA and QLoRA', () => {
  it('QLoRA puts a 65B model under 48 GB (the QLoRA paper\'s claim), where full fine-tuning needs over 780 GB', () => {
    const llama65 = shapeFromHfConfig({ model_type: 'llama', hidden_size: 8192, intermediate_size: 22016, num_attention_heads: 64, num_hidden_layers: 80, vocab_size: 32000 });
    expect(llama65.params / 1e9).toBeCloseTo(65.3, 1);
    const q = estimateMemory({ model: llama65, workload: 'qlora', precision: 'bf16', batchSize: 1, sequenceLength: 512, gradientCheckpointing: true });
    expect(q.totalBytes / GB).toBeLessThan(48);
    expect(q.totalBytes / GB).toBeGreaterThan(34); // the NF4 weights alone are 32.6 GB
    const full = estimateMemory({ model: llama65, workload: 'full', precision: 'bf16', batchSize: 1, sequenceLength: 512, gradientCheckpointing: true });
    expect(full.totalBytes / GB).toBeGreaterThan(780);
  });

  it('LoRA trains r·(d_in + d_out) per adapted matrix and keeps 16 bytes of state for each, not for the frozen base', () => {
    const llama = shapeFromHfConfig(LLAMA2_7B);
    const e = estimateMemory({ model: llama, workload: 'lora', precision: 'bf16', batchSize: 1, sequenceLength: 512, lora: { rank: 8, targets: 'attention' } });
    expect(e.trainableParams).toBe(32 * 8 * 4 * (4096 + 4096));
    expect(sum(e, 'loraWeights', 'gradients', 'optimizer', 'masterWeights')).toBe(e.trainableParams * 16);
    expect(part(e, 'weights')).toBe(llama.params * 2);
    const all = estimateMemory({ model: llama, workload: 'lora', precision: 'bf16', batchSize: 1, sequenceLength: 512, lora: { rank: 8, targets: 'allLinear' } });
    expect(all.trainableParams).toBe(e.trainableParams + 32 * 8 * 3 * (4096 + 11008));
  });

  it('refuses a batch or sequence that is not a positive whole number', () => {
    expect(() => estimateMemory(base({ batchSize: 0 }))).toThrow('The batch size must be a whole number of at least 1.');
    expect(() => estimateMemory(base({ sequenceLength: 1.5 }))).toThrow(RemoteGpuError);
  });
});
