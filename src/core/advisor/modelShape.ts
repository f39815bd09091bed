import { z } from 'zod';
import { RemoteGpuError } from '../errors';
import { t } from '../../shared/l10n';

/**
 * The shape of a decoder-only transformer, as much as memory estimates need. From a Hugging Face config.json when
 * the user has one (exact), else derived from a parameter count (an assumption the advisor states).
 */
export interface ModelShape {
  /** Total parameters, embeddings included. */
  readonly params: number;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  /** Key/value heads: fewer than `heads` with grouped-query attention (Llama 2 70B, Mistral). */
  readonly kvHeads: number;
  readonly vocab: number;
  readonly intermediate: number;
  /** SwiGLU/GeGLU MLPs have three matrices (gate, up, down), the GPT-2 style two. */
  readonly gatedMlp: boolean;
  /** Mixture of experts: every expert's weights sit in memory, though each token uses only a few. */
  readonly experts: number;
  /** True when the shape came from a parameter count, not a config: the advisor says so. */
  readonly assumed: boolean;
}

/** Model types whose MLP is gated (three matrices). Others with an explicit `hidden_act` of silu are too. */
const GATED_TYPES = new Set(['llama', 'mistral', 'mixtral', 'qwen2', 'qwen2_moe', 'qwen3', 'qwen3_moe', 'gemma', 'gemma2', 'gemma3_text', 'phi3', 'olmo', 'olmo2', 'cohere', 'deepseek', 'internlm2', 'yi', 'baichuan', 'starcoder2']);

const positive = z.number().int().positive();

/** The config.json fields we read, under each of the names model families use for them. */
const configSchema = z.object({
  model_type: z.string().optional(),
  hidden_size: positive.optional(),
  n_embd: positive.optional(),
  d_model: positive.optional(),
  num_hidden_layers: positive.optional(),
  n_layer: positive.optional(),
  num_layers: positive.optional(),
  num_attention_heads: positive.optional(),
  n_head: positive.optional(),
  num_key_value_heads: positive.optional(),
  multi_query: z.boolean().optional(),
  vocab_size: positive.optional(),
  intermediate_size: positive.optional(),
  n_inner: positive.nullable().optional(),
  ffn_dim: positive.optional(),
  hidden_act: z.string().optional(),
  tie_word_embeddings: z.boolean().optional(),
  num_local_experts: positive.optional(),
  num_experts: positive.optional(),
  n_positions: positive.optional(),
  head_dim: positive.nullable().optional(),
});

type HfConfig = z.infer<typeof configSchema>;

/**
 * Reads a Hugging Face config.json (already JSON-parsed). Multimodal configs keep the language model under
 * `text_config`, which is used when the top level has no hidden size. Throws `invalidInput` naming what is missing.
 */
export function shapeFromHfConfig(json: unknown): ModelShape {
  const outer = z.object({ text_config: z.unknown().optional() }).passthrough().safeParse(json);
  if (!outer.success) throw new RemoteGpuError('config', t('config.json is not a JSON object.'));
  const top = configSchema.safeParse(json);
  const hasHidden = top.success && (top.data.hidden_size ?? top.data.n_embd ?? top.data.d_model) !== undefined;
  const source = !hasHidden && outer.data.text_config !== undefined ? outer.data.text_config : json;
  const parsed = configSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RemoteGpuError('config', t('config.json has an unexpected {0}.', issue?.path.join('.') || 'shape'), parsed.error.message);
  }
  return shapeOf(parsed.data);
}

function shapeOf(c: HfConfig): ModelShape {
  const hidden = need(c.hidden_size ?? c.n_embd ?? c.d_model, 'hidden_size');
  const layers = need(c.num_hidden_layers ?? c.n_layer ?? c.num_layers, 'num_hidden_layers');
  const heads = need(c.num_attention_heads ?? c.n_head, 'num_attention_heads');
  const vocab = need(c.vocab_size, 'vocab_size');
  const kvHeads = c.num_key_value_heads ?? (c.multi_query ? 1 : heads);
  const gatedMlp = GATED_TYPES.has(c.model_type ?? '') || c.hidden_act === 'silu' || c.hidden_act === 'swiglu';
  const intermediate = c.intermediate_size ?? c.n_inner ?? c.ffn_dim ?? 4 * hidden;
  const experts = c.num_local_experts ?? c.num_experts ?? 1;
  const headDim = c.head_dim ?? hidden / heads;
  // Untied unless the config says tied; GPT-2 style configs (n_embd) tie by default.
  const tied = c.tie_word_embeddings ?? c.n_embd !== undefined;
  const attention = hidden * heads * headDim * 2 + hidden * kvHeads * headDim * 2; // q, o; k, v
  const mlp = (gatedMlp ? 3 : 2) * hidden * intermediate * experts;
  const norms = 2 * hidden;
  const embeddings = vocab * hidden * (tied ? 1 : 2) + (c.n_positions ?? 0) * hidden * (c.n_embd !== undefined ? 1 : 0);
  const biases = c.n_embd !== undefined ? layers * (3 * hidden + hidden + intermediate + hidden + 2 * hidden) : 0;
  const params = layers * (attention + mlp + norms) + embeddings + biases + hidden;
  return { params, layers, hidden, heads, kvHeads, vocab, intermediate, gatedMlp, experts, assumed: false };
}

function need(value: number | null | undefined, name: string): number {
  if (value === undefined || value === null) throw new RemoteGpuError('config', t('config.json has no {0}.', name));
  return value;
}

/**
 * A Llama-like shape for a bare parameter count: P ≈ 12·L·h² with L = h/128 (7B: h 4096, 32 layers; 13B: 5120, 40;
 * 70B: 8192, 80), h rounded to a multiple of 128, a 32k vocabulary, a gated MLP of 8/3·h. Activation and KV-cache
 * estimates need a shape; this one is right within about 10 % for the common open models.
 */
export function shapeFromParams(params: number): ModelShape {
  if (!Number.isFinite(params) || params <= 0) throw new RemoteGpuError('config', t('The model size must be a positive number of parameters.'));
  const hidden = Math.max(128, Math.round(Math.cbrt((params * 128) / 12) / 128) * 128);
  const layers = Math.max(1, Math.round(hidden / 128));
  const heads = Math.max(1, hidden / 128);
  return {
    params, layers, hidden, heads, kvHeads: heads, vocab: 32_000, intermediate: Math.round((8 / 3) * hidden),
    gatedMlp: true, experts: 1, assumed: true,
  };
}
