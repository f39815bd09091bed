import { RemoteGpuError } from '../errors';
import type { ModelShape } from './modelShape';
import type { Precision } from './precision';
import { activationBytes, bytesPerParam, kvCacheBytes, quantConstantsPerParam } from './precision';
import { t } from '../../shared/l10n';

/**
 * GPU memory a workload needs, part by part. All formulas are here, and every number is in bytes (decimal GB when
 * shown, as model cards and papers quote them).
 *
 * Sources: mixed-precision AdamW keeps 16 bytes per trainable parameter (2 weights + 2 gradients + 4 FP32 master
 * weights + 4 + 4 Adam moments) and ZeRO stages 1/2/3 shard the optimizer states, then the gradients, then the
 * weights across N data-parallel GPUs (Rajbhandari et al., "ZeRO", 2020, figure 1: 7.5B on 64 GPUs needs 120 / 31.4 /
 * 16.6 / 1.9 GB). Activations per layer s·b·h·(34 + 5·a·s/h) bytes in 16-bit without recomputation, 2·s·b·h with
 * full recomputation (Korthikanti et al., "Reducing Activation Recomputation in Large Transformer Models", 2022);
 * with FlashAttention (PyTorch SDPA, the default today) the a·s² score matrix is never stored, so its 5·a·s/h term
 * drops. KV cache 2·L·kv_heads·head_dim bytes-per-value per token (Llama 2 7B: 0.5 MiB per token in FP16). QLoRA
 * (Dettmers et al., 2023): NF4 base weights with double-quantised constants, 16-bit LoRA adapters.
 */

export type Workload = 'inference' | 'lora' | 'qlora' | 'full';
export type ZeroStage = 0 | 1 | 2 | 3;

export interface EstimateInput {
  readonly model: ModelShape;
  readonly workload: Workload;
  /** Weights' precision. QLoRA's base is always NF4 (int4); its adapters and compute are BF16. */
  readonly precision: Precision;
  /** Sequences per GPU per step (the micro-batch). */
  readonly batchSize: number;
  readonly sequenceLength: number;
  readonly gradientCheckpointing?: boolean;
  /** Default true: FlashAttention / SDPA does not keep the attention score matrix. */
  readonly flashAttention?: boolean;
  /** ZeRO stage and the number of data-parallel GPUs it shards across (training only). */
  readonly zero?: { readonly stage: ZeroStage; readonly gpus: number };
  /** LoRA rank and which projections get adapters; defaults r = 16 on q, k, v, o. */
  readonly lora?: { readonly rank: number; readonly targets: 'attention' | 'allLinear' };
}

export type PartKey = 'weights' | 'quantConstants' | 'loraWeights' | 'gradients' | 'optimizer' | 'masterWeights' | 'activations' | 'logits' | 'kvCache' | 'cudaContext' | 'allocator';

export interface MemoryPart {
  readonly key: PartKey;
  readonly bytes: number;
  /** How the number was made, for the breakdown ("16 bytes x 6.74e9 / 8 GPUs"); plain English, no formatting. */
  readonly basis: string;
}

export interface MemoryEstimate {
  /** Per GPU when ZeRO shards the states; for a single GPU otherwise. */
  readonly parts: readonly MemoryPart[];
  readonly totalBytes: number;
  readonly trainableParams: number;
}

/** PyTorch's CUDA context and kernels take 0.5 to 1 GB before the first tensor; we count 1 GB. */
export const CUDA_CONTEXT_BYTES = 1e9;
/** The caching allocator rounds and fragments: 5 % on top of the tensors. */
export const ALLOCATOR_OVERHEAD = 0.05;

const DEFAULT_LORA = { rank: 16, targets: 'attention' } as const;

export function estimateMemory(input: EstimateInput): MemoryEstimate {
  validate(input);
  const parts = input.workload === 'inference' ? inferenceParts(input) : trainingParts(input);
  const tensors = parts.reduce((sum, p) => sum + p.bytes, 0);
  const all: MemoryPart[] = [
    ...parts,
    { key: 'cudaContext', bytes: CUDA_CONTEXT_BYTES, basis: 'CUDA context and kernels, per GPU' },
    { key: 'allocator', bytes: tensors * ALLOCATOR_OVERHEAD, basis: `${ALLOCATOR_OVERHEAD * 100} % of the tensors for allocator rounding and fragmentation` },
  ];
  return { parts: all.filter((p) => p.bytes > 0), totalBytes: all.reduce((s, p) => s + p.bytes, 0), trainableParams: trainable(input) };
}

function validate(input: EstimateInput): void {
  const { batchSize, sequenceLength, workload, precision, zero } = input;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RemoteGpuError('config', t('The batch size must be a whole number of at least 1.'));
  if (!Number.isInteger(sequenceLength) || sequenceLength < 1) throw new RemoteGpuError('config', t('The sequence length must be a whole number of at least 1.'));
  if (workload === 'full' && (precision === 'int8' || precision === 'int4')) {
    throw new RemoteGpuError('config', t('Full training needs FP32, BF16/FP16 or FP8 weights; for a quantised base, choose QLoRA.'));
  }
  if (zero && (!Number.isInteger(zero.gpus) || zero.gpus < 1)) throw new RemoteGpuError('config', t('ZeRO needs a whole number of GPUs.'));
}

function headDim(m: ModelShape): number {
  return m.hidden / m.heads;
}

function loraParams(input: EstimateInput): number {
  const m = input.model;
  const { rank, targets } = input.lora ?? DEFAULT_LORA;
  const kv = m.kvHeads * headDim(m);
  // A LoRA pair on a d_in x d_out matrix adds r·(d_in + d_out) parameters.
  const attention = rank * ((m.hidden + m.hidden) * 2 + (m.hidden + kv) * 2);
  const mlp = targets === 'allLinear' ? rank * (m.hidden + m.intermediate) * (m.gatedMlp ? 3 : 2) * m.experts : 0;
  return m.layers * (attention + mlp);
}

function trainable(input: EstimateInput): number {
  if (input.workload === 'full') return input.model.params;
  if (input.workload === 'inference') return 0;
  return loraParams(input);
}

function inferenceParts(input: EstimateInput): MemoryPart[] {
  const { model: m, precision: p, batchSize: b, sequenceLength: s } = input;
  const kvPerToken = 2 * m.layers * m.kvHeads * headDim(m) * kvCacheBytes(p);
  return [
    { key: 'weights', bytes: m.params * bytesPerParam(p), basis: `${bytesPerParam(p)} bytes x ${m.params} parameters` },
    { key: 'quantConstants', bytes: m.params * quantConstantsPerParam(p), basis: 'scales and zero points of the quantised weights' },
    { key: 'kvCache', bytes: kvPerToken * b * s, basis: `${kvPerToken} bytes per token x ${s} tokens x ${b} sequences` },
    // Prefill holds a few hidden-sized buffers per token and the logits of the last position.
    { key: 'activations', bytes: 4 * b * s * m.hidden * 2 + b * m.intermediate * 2, basis: 'working buffers of the forward pass' },
    { key: 'logits', bytes: b * m.vocab * 4, basis: 'FP32 logits of the next token' },
  ];
}

function trainingParts(input: EstimateInput): MemoryPart[] {
  const { model: m, workload } = input;
  const stage = input.zero?.stage ?? 0;
  const n = input.zero?.gpus ?? 1;
  const shard = (min: ZeroStage) => (stage >= min ? n : 1);
  const qlora = workload === 'qlora';
  const basePrecision: Precision = qlora ? 'int4' : input.precision;
  const parts: MemoryPart[] = [
    { key: 'weights', bytes: (m.params * bytesPerParam(basePrecision)) / shard(3), basis: `${bytesPerParam(basePrecision)} bytes x ${m.params} parameters${shard(3) > 1 ? ` / ${n} GPUs (ZeRO-3)` : ''}` },
    { key: 'quantConstants', bytes: m.params * quantConstantsPerParam(basePrecision, qlora), basis: qlora ? 'NF4 constants with double quantisation (0.127 bits per parameter)' : 'scales of the quantised weights' },
  ];
  const train = trainable(input);
  // FP32 training has no separate master copy; every lower precision keeps one in FP32 for the optimizer step.
  const mixed = input.precision !== 'fp32' || workload !== 'full';
  const gradBytes = workload === 'full' ? Math.min(bytesPerParam(input.precision), 4) : 2;
  if (workload !== 'full') parts.push({ key: 'loraWeights', bytes: train * 2, basis: `2 bytes x ${train} adapter parameters` });
  parts.push(
    { key: 'gradients', bytes: (train * Math.max(gradBytes, 2)) / shard(2), basis: `${Math.max(gradBytes, 2)} bytes x ${train} trainable parameters${shard(2) > 1 ? ` / ${n} GPUs (ZeRO-2)` : ''}` },
    { key: 'optimizer', bytes: (train * 8) / shard(1), basis: `AdamW: two FP32 moments, 8 bytes x ${train}${shard(1) > 1 ? ` / ${n} GPUs (ZeRO-1)` : ''}` },
    { key: 'masterWeights', bytes: mixed ? (train * 4) / shard(1) : 0, basis: `FP32 master weights, 4 bytes x ${train}${shard(1) > 1 ? ` / ${n} GPUs` : ''}` },
    ...activationParts(input),
  );
  return parts;
}

function activationParts(input: EstimateInput): MemoryPart[] {
  const { model: m, batchSize: b, sequenceLength: s } = input;
  const bytes = activationBytes(input.workload === 'qlora' ? 'bf16' : input.precision) / 2; // the formulas assume 16-bit
  const flash = input.flashAttention ?? true;
  const perLayer = s * b * m.hidden * (34 + (flash ? 0 : (5 * m.heads * s) / m.hidden)) * bytes;
  const activations = input.gradientCheckpointing
    ? m.layers * 2 * s * b * m.hidden * bytes + perLayer // checkpoints at layer inputs, plus one layer recomputed
    : m.layers * perLayer;
  return [
    { key: 'activations', bytes: activations, basis: input.gradientCheckpointing ? 'layer inputs kept, one layer recomputed at a time' : `${m.layers} layers of stored activations` },
    // The loss reads FP32 logits over the whole vocabulary for every position: large for big vocabularies.
    { key: 'logits', bytes: b * s * m.vocab * 4, basis: `FP32 logits, ${b} x ${s} positions x ${m.vocab} vocabulary` },
  ];
}
