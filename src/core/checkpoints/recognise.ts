import type { Checkpoint, CheckpointFormat, ScanEntry } from './checkpoint';
import type { RecogniserId } from './checkpointSettings';
import { globMatcher } from './glob';
import { STEP_EXTENSIONS } from './scanFilter';

export interface RecogniseOptions {
  readonly disabled: readonly RecogniserId[];
  readonly extraPatterns: readonly string[];
}

const HF_DIR = /^checkpoint-(\d+)$/;
const DS_DIR = /^global_step(\d+)$/;
const SHARD = /^(.+)-(\d{5})-of-(\d{5})\.(safetensors|bin)$/;
const LIGHTNING = /^(?:.*[^A-Za-z])?epoch=(\d+)-step=(\d+)(?:[-_.].*)?\.ckpt$/;
const LIGHTNING_LAST = /^last(?:-v\d+)?\.ckpt$/;
/** "step_000595.pt", "model-step=100.safetensors", "iter_0001000.pth", "global_step42.pt". */
const STEP_IN_NAME = /(?:^|[^A-Za-z])(?:global_step|step|iter|iteration)[_=-]?(\d+)/i;
/** A bare *.bin is as often a dataset (nanoGPT's train.bin) as weights: only names that say so count. */
const WEIGHTS_BIN = /model|pytorch|weights|ckpt|checkpoint|optim|step|adapter/i;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? '' : path.slice(0, i);
}

function extOf(name: string): string {
  const i = name.lastIndexOf('.');
  return i === -1 ? '' : name.slice(i + 1).toLowerCase();
}

export function stepFromName(name: string): number | undefined {
  const m = STEP_IN_NAME.exec(name);
  return m ? Number(m[1]) : undefined;
}

function aggregate(path: string, kind: Checkpoint['kind'], format: CheckpointFormat, files: readonly ScanEntry[], extra: Partial<Checkpoint> = {}): Checkpoint {
  return {
    path,
    kind,
    format,
    sizeBytes: files.reduce((n, f) => n + f.size, 0),
    mtimeMs: files.reduce((m, f) => Math.max(m, f.mtimeMs), 0),
    files: files.map((f) => ({ path: f.path, size: f.size })),
    complete: true,
    ...extra,
  };
}

/**
 * Folder checkpoints first: a file under a `checkpoint-N/` or `global_stepN/` folder belongs to the OUTERMOST such
 * folder (the HF Trainer with DeepSpeed writes `checkpoint-N/global_stepN/`), and is claimed so no file recogniser
 * counts it again.
 */
function folders(entries: readonly ScanEntry[], on: (id: RecogniserId) => boolean): { found: Checkpoint[]; rest: ScanEntry[] } {
  const groups = new Map<string, { format: 'huggingface' | 'deepspeed'; step: number; files: ScanEntry[] }>();
  const rest: ScanEntry[] = [];
  for (const e of entries) {
    const parts = e.path.split('/');
    let claimed = false;
    for (let i = 0; i < parts.length - 1 && !claimed; i++) {
      const seg = parts[i] ?? '';
      const hf = on('huggingface') ? HF_DIR.exec(seg) : null;
      const ds = !hf && on('deepspeed') ? DS_DIR.exec(seg) : null;
      const m = hf ?? ds;
      if (!m) continue;
      const key = parts.slice(0, i + 1).join('/');
      const g = groups.get(key) ?? { format: hf ? 'huggingface' : 'deepspeed', step: Number(m[1]), files: [] };
      g.files.push(e);
      groups.set(key, g);
      claimed = true;
    }
    if (!claimed) rest.push(e);
  }
  const found = [...groups].map(([path, g]) => aggregate(path, 'folder', g.format, g.files, { step: g.step }));
  return { found, rest };
}

/** `model-00001-of-00004.safetensors` ... as one checkpoint, with its `model.safetensors.index.json` when present. */
function shardSets(entries: readonly ScanEntry[], on: (id: RecogniserId) => boolean): { found: Checkpoint[]; rest: ScanEntry[] } {
  const sets = new Map<string, { ext: string; total: number; shards: Set<number>; files: ScanEntry[] }>();
  const rest: ScanEntry[] = [];
  for (const e of entries) {
    const m = SHARD.exec(baseName(e.path));
    const ext = m?.[4] ?? '';
    if (!m || !on(ext === 'bin' ? 'pytorch' : 'safetensors')) {
      rest.push(e);
      continue;
    }
    const key = `${dirName(e.path)}\0${m[1] ?? ''}\0${m[3] ?? ''}\0${ext}`;
    const set = sets.get(key) ?? { ext, total: Number(m[3]), shards: new Set<number>(), files: [] };
    set.shards.add(Number(m[2]));
    set.files.push(e);
    sets.set(key, set);
  }
  const found: Checkpoint[] = [];
  const indexFiles = new Set<ScanEntry>();
  for (const [key, set] of sets) {
    const [dir = '', prefix = '', total = ''] = key.split('\0');
    const at = dir === '' ? '' : `${dir}/`;
    // HF names the index after the unsharded file: model-0000x-of-N.safetensors → model.safetensors.index.json.
    const index = rest.find((e) => e.path === `${at}${prefix}.${set.ext}.index.json`);
    if (index) indexFiles.add(index);
    const files = index ? [...set.files, index] : set.files;
    found.push(
      aggregate(`${at}${prefix}-*-of-${total}.${set.ext}`, 'shards', set.ext === 'bin' ? 'pytorch' : 'safetensors', files, {
        complete: set.shards.size === set.total,
        ...(stepFromName(dir) === undefined ? {} : { step: stepFromName(dir) as number }),
      }),
    );
  }
  return { found, rest: rest.filter((e) => !indexFiles.has(e)) };
}

/** One file, one checkpoint: the first recogniser (in this order) that knows the name wins. */
function singleFile(e: ScanEntry, on: (id: RecogniserId) => boolean, custom: (name: string) => boolean): Checkpoint | undefined {
  const name = baseName(e.path);
  const ext = extOf(name);
  const step = stepFromName(name);
  const withStep = step === undefined ? {} : { step };
  if (on('lightning') && ext === 'ckpt') {
    const m = LIGHTNING.exec(name);
    if (m) return aggregate(e.path, 'file', 'lightning', [e], { epoch: Number(m[1]), step: Number(m[2]) });
    if (LIGHTNING_LAST.test(name)) return aggregate(e.path, 'file', 'lightning', [e], { tag: 'last' });
    return aggregate(e.path, 'file', 'lightning', [e], withStep);
  }
  if (on('safetensors') && ext === 'safetensors') return aggregate(e.path, 'file', 'safetensors', [e], withStep);
  if (on('pytorch') && (ext === 'pt' || ext === 'pth' || (ext === 'bin' && WEIGHTS_BIN.test(name)))) {
    return aggregate(e.path, 'file', 'pytorch', [e], withStep);
  }
  if (on('stepNumber') && step !== undefined && (STEP_EXTENSIONS as readonly string[]).includes(ext)) {
    const format: CheckpointFormat = ext === 'safetensors' ? 'safetensors' : ext === 'ckpt' ? 'lightning' : ext === 'pt' || ext === 'pth' || ext === 'bin' ? 'pytorch' : 'custom';
    return aggregate(e.path, 'file', format, [e], { step });
  }
  if (custom(name)) return aggregate(e.path, 'file', 'custom', [e], withStep);
  return undefined;
}

/**
 * DeepSpeed writes `latest` after a save finishes: a global_stepN folder in the same parent with files newer than
 * `latest` is still being written. (Which folder `latest` names is read separately, see checkpointDetails.)
 */
function markDeepSpeedInProgress(found: Checkpoint[], latestFiles: readonly ScanEntry[]): Checkpoint[] {
  return found.map((c) => {
    if (c.format !== 'deepspeed') return c;
    const latest = latestFiles.find((l) => dirName(l.path) === dirName(c.path));
    return latest && c.mtimeMs > latest.mtimeMs ? { ...c, complete: false } : c;
  });
}

/** Pure: the listed files of one scan → checkpoints, newest first. */
export function recognise(entries: readonly ScanEntry[], opts: RecogniseOptions): Checkpoint[] {
  const on = (id: RecogniserId): boolean => !opts.disabled.includes(id);
  const custom = globMatcher(opts.extraPatterns);
  const folder = folders(entries, on);
  const latestFiles = on('deepspeed') ? folder.rest.filter((e) => baseName(e.path) === 'latest') : [];
  const shards = shardSets(folder.rest, on);
  const singles = shards.rest.flatMap((e) => singleFile(e, on, custom) ?? []);
  const all = [...markDeepSpeedInProgress(folder.found, latestFiles), ...shards.found, ...singles];
  return all.sort((a, b) => b.mtimeMs - a.mtimeMs || (b.step ?? -1) - (a.step ?? -1) || a.path.localeCompare(b.path));
}
