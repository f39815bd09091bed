import { z } from 'zod';

/** Bounds for what a remote file system can put into a snapshot: names are untrusted and may be long. */
export const CHECKPOINT_LIMITS = { maxPathLength: 1024, maxListed: 10, maxRootLength: 4096, maxErrorLength: 500 } as const;

const ms = z.number().finite().min(0);

/** One checkpoint as the dashboard shows it. `ageMs` is measured on the instance's clock when it was known. */
export const checkpointEntrySchema = z
  .object({
    path: z.string().max(CHECKPOINT_LIMITS.maxPathLength),
    format: z.enum(['huggingface', 'deepspeed', 'lightning', 'safetensors', 'pytorch', 'custom']),
    kind: z.enum(['file', 'folder', 'shards']),
    step: z.number().int().min(0).optional(),
    sizeBytes: z.number().finite().min(0),
    ageMs: ms,
  })
  .strict();

/**
 * The checkpoint section of a dashboard snapshot (issue 6). A full status every time, like the rest of the snapshot.
 * - `noFolder`: no remote project folder is known for this host (settings, Remote-SSH folder, or a past download).
 * - `scanning`: the first look has not answered yet.
 * - `ready`: the last look answered; `error`: it failed (the previous checkpoints, if any, are still shown).
 */
export const checkpointStatusSchema = z
  .object({
    state: z.enum(['noFolder', 'scanning', 'ready', 'error']),
    root: z.string().max(CHECKPOINT_LIMITS.maxRootLength),
    /** Newest finished checkpoint (not being written). */
    newest: checkpointEntrySchema.optional(),
    /** Checkpoints whose size or mtime moved since the previous look, or incomplete shard sets. */
    writing: z.array(checkpointEntrySchema).max(CHECKPOINT_LIMITS.maxListed),
    /** Newest first, the newest included. */
    recent: z.array(checkpointEntrySchema).max(CHECKPOINT_LIMITS.maxListed),
    /** Median interval between checkpoints. */
    cadenceMs: ms.optional(),
    /** Set while the GPUs are busy and no checkpoint came for longer than allowed. */
    overdue: z.object({ why: z.enum(['pastCadence', 'noneYet']), forMs: ms }).strict().optional(),
    /** The scan hit its file-count bound: older or deeper checkpoints may be missing. */
    truncated: z.boolean(),
    /** How long ago the last look answered. */
    scannedAgoMs: ms.optional(),
    error: z.string().max(CHECKPOINT_LIMITS.maxErrorLength).optional(),
    /** The newest checkpoint is the one last downloaded (the terminate rule's view). */
    newestDownloaded: z.boolean(),
  })
  .strict();

export type CheckpointStatus = z.infer<typeof checkpointStatusSchema>;
export type CheckpointEntry = z.infer<typeof checkpointEntrySchema>;
