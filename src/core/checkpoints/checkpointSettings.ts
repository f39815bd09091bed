import { z } from 'zod';
import { DEFAULT_PROGRESS_FILES, PROGRESS_GLOB } from './progressFiles';

/**
 * The per-workspace checkpoint settings as one zod schema, so the UI layer (later) can validate what the user typed
 * and the domain never sees an unchecked value. Defaults are the ones issue 6 names.
 */
export const SaveBeforeStopSchema = z
  .discriminatedUnion('mode', [
    z.object({ mode: z.literal('off') }),
    // argv, not a shell line: every element is quoted by shQuote when it runs.
    z.object({ mode: z.literal('command'), argv: z.array(z.string().min(1)).min(1) }),
    z.object({ mode: z.literal('triggerFile'), path: z.string().min(1) }),
  ])
  .default({ mode: 'off' });

const NAME_GLOB = z
  .string()
  .min(1)
  .max(200)
  // A glob on a file name for find's -name: no '/' (it would never match a name) and no NUL.
  .refine((s) => !s.includes('/') && !s.includes('\0'), 'a file-name pattern has no "/"');

export const CheckpointSettingsSchema = z.object({
  /** Remote project folder; empty = the Remote-SSH folder of the window (resolved by the caller). */
  root: z.string().default(''),
  maxDepth: z.number().int().min(1).max(32).default(8),
  /** Files listed at most per scan; more is reported as truncated. */
  maxEntries: z.number().int().min(100).max(1_000_000).default(50_000),
  /** Folder names never descended into. */
  exclude: z.array(NAME_GLOB).default(['.git', 'node_modules', '__pycache__', 'wandb', '.venv', '.cache', '.ipynb_checkpoints']),
  /** Extra file-name globs recognised as checkpoints (format "custom"), e.g. "*.msgpack". */
  extraPatterns: z.array(NAME_GLOB).default([]),
  /** Built-in recognisers to leave out, e.g. ["pytorch"] when *.bin files are datasets. */
  disabled: z.array(z.enum(['huggingface', 'deepspeed', 'lightning', 'safetensors', 'pytorch', 'stepNumber'])).default([]),
  /** Overdue after this many median intervals without a checkpoint while the GPUs are busy. */
  overdueFactor: z.number().min(1).max(100).default(3),
  /** Overdue when a busy run this old has no checkpoint at all (minutes). */
  overdueWithoutAnyMinutes: z.number().int().min(1).max(10_080).default(60),
  saveBeforeStop: SaveBeforeStopSchema,
  /** Log files whose growth counts as progress for auto-stop (remoteGpu.autoStop.progressFiles); [] turns it off. */
  progressFiles: z.array(PROGRESS_GLOB).max(100).default(DEFAULT_PROGRESS_FILES),
  /** How long save-before-stop waits for a newer checkpoint (minutes). */
  saveWaitMinutes: z.number().min(0.1).max(240).default(10),
});

export type CheckpointSettings = z.infer<typeof CheckpointSettingsSchema>;
export type SaveBeforeStop = z.infer<typeof SaveBeforeStopSchema>;
export type RecogniserId = CheckpointSettings['disabled'][number];

export const DEFAULT_CHECKPOINT_SETTINGS: CheckpointSettings = CheckpointSettingsSchema.parse({});
