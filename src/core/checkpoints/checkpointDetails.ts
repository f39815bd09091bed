import { z } from 'zod';
import type { RemoteCommand } from '../remote/remoteCommand';
import type { Checkpoint } from './checkpoint';

/** trainer_state.json as written by the Hugging Face Trainer; only what we show, everything else passes. */
const TrainerStateSchema = z.object({
  global_step: z.number().int().nonnegative().optional(),
  best_metric: z.number().nullable().optional(),
  best_model_checkpoint: z.string().nullable().optional(),
  epoch: z.number().nullable().optional(),
});

export interface TrainerState {
  readonly globalStep?: number;
  readonly bestMetric?: number;
  readonly bestModelCheckpoint?: string;
}

/** Bytes read per file: enough for the fields above, which json.dumps(sort_keys=True) puts before log_history. */
export const DETAIL_READ_BYTES = 64 * 1024;

/**
 * Reads the head of several small files in ONE exec: each as `<path>\0<first N bytes>\0`. NULs inside a file are
 * dropped (they would break the framing, and JSON and DeepSpeed's `latest` have none). A missing file reads empty.
 */
const SCRIPT = 'n=$1; shift\nfor f in "$@"; do printf \'%s\\0\' "$f"; head -c "$n" -- "$f" 2>/dev/null | tr -d \'\\000\'; printf \'\\0\'; done';

export function readHeadsCommand(paths: readonly string[], maxBytes = DETAIL_READ_BYTES): RemoteCommand<Map<string, string>> {
  return {
    argv: ['sh', '-c', SCRIPT, 'rgpu-read', String(maxBytes), ...paths],
    parse: (r) => {
      const parts = r.stdout.split('\0');
      const out = new Map<string, string>();
      for (let i = 0; i + 1 < parts.length; i += 2) out.set(parts[i] ?? '', parts[i + 1] ?? '');
      return out;
    },
  };
}

/** Whole JSON through zod; a head cut short (long log_history) falls back to the top-level fields it holds. */
export function parseTrainerState(text: string): TrainerState | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    const before = text.split('"log_history"')[0] ?? '';
    const num = (k: string): number | undefined => {
      const m = new RegExp(`"${k}"\\s*:\\s*(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)`).exec(before);
      return m ? Number(m[1]) : undefined;
    };
    raw = { global_step: num('global_step'), best_metric: num('best_metric') };
  }
  const parsed = TrainerStateSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const s = parsed.data;
  return {
    ...(s.global_step === undefined ? {} : { globalStep: s.global_step }),
    ...(s.best_metric == null ? {} : { bestMetric: s.best_metric }),
    ...(s.best_model_checkpoint == null ? {} : { bestModelCheckpoint: s.best_model_checkpoint }),
  };
}

export interface DetailedCheckpoint extends Checkpoint {
  readonly trainerState?: TrainerState;
}

function join(root: string, rel: string): string {
  return root === '.' || root === '' ? rel : `${root}/${rel}`;
}

/** Which files to read for the newest `limit` folder checkpoints: trainer_state.json and DeepSpeed's `latest`. */
export function detailPaths(root: string, checkpoints: readonly Checkpoint[], limit = 3): string[] {
  const paths = new Set<string>();
  for (const c of checkpoints.filter((c) => c.kind === 'folder').slice(0, limit)) {
    if (c.format === 'huggingface' && c.files.some((f) => f.path === `${c.path}/trainer_state.json`)) paths.add(join(root, `${c.path}/trainer_state.json`));
    if (c.format === 'deepspeed') {
      const parent = c.path.includes('/') ? c.path.slice(0, c.path.lastIndexOf('/') + 1) : '';
      paths.add(join(root, `${parent}latest`));
    }
  }
  return [...paths];
}

/** Pure: folds what was read into the checkpoints (global_step wins over the folder name's step). */
export function applyDetails(root: string, checkpoints: readonly Checkpoint[], heads: ReadonlyMap<string, string>): DetailedCheckpoint[] {
  return checkpoints.map((c) => {
    if (c.format === 'huggingface') {
      const text = heads.get(join(root, `${c.path}/trainer_state.json`));
      const state = text ? parseTrainerState(text) : undefined;
      if (!state) return c;
      return { ...c, trainerState: state, ...(state.globalStep === undefined ? {} : { step: state.globalStep }) };
    }
    if (c.format === 'deepspeed') {
      const parent = c.path.includes('/') ? c.path.slice(0, c.path.lastIndexOf('/') + 1) : '';
      const tag = heads.get(join(root, `${parent}latest`))?.trim();
      return tag !== undefined && tag === c.path.slice(parent.length) ? { ...c, tag: 'latest' as const } : c;
    }
    return c;
  });
}
