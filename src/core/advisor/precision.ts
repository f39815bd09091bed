/** Number formats a model's weights (and, for inference, its KV cache) can be held in. */
export type Precision = 'fp32' | 'bf16' | 'fp16' | 'fp8' | 'int8' | 'int4';

export const PRECISIONS: readonly Precision[] = ['fp32', 'bf16', 'fp16', 'fp8', 'int8', 'int4'];

/** Bytes per parameter of the stored tensor, before any quantisation constants. */
export function bytesPerParam(p: Precision): number {
  switch (p) {
    case 'fp32':
      return 4;
    case 'bf16':
    case 'fp16':
      return 2;
    case 'fp8':
    case 'int8':
      return 1;
    case 'int4':
      return 0.5;
  }
}

/**
 * Scales and zero points of integer formats, in bytes per parameter: INT8 (LLM.int8 / per-channel) and INT4
 * (GPTQ/AWQ) keep one FP16 scale and zero per group of 128 weights (4 bytes / 128); QLoRA's NF4 keeps one FP8
 * constant per 64 weights plus one FP32 per 256 blocks (double quantisation: 0.127 bits per parameter, from the
 * QLoRA paper, section 3).
 */
export function quantConstantsPerParam(p: Precision, nf4 = false): number {
  if (p === 'int4' && nf4) return 0.127 / 8;
  if (p === 'int4' || p === 'int8') return 4 / 128;
  return 0;
}

/** The KV cache is kept in 16-bit, FP32 for an FP32 model, and FP8 where the model runs in FP8 (vLLM's fp8 cache). */
export function kvCacheBytes(p: Precision): number {
  if (p === 'fp32') return 4;
  if (p === 'fp8') return 1;
  return 2;
}

/** Training activations are 16-bit (FP8 recipes keep most of them in BF16 too), FP32 only in FP32 training. */
export function activationBytes(p: Precision): number {
  return p === 'fp32' ? 4 : 2;
}
