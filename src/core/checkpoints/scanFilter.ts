import type { CheckpointSettings, RecogniserId } from './checkpointSettings';
import { globMatcher } from './glob';
import type { ProgressFilter } from './progressFiles';
import { progressClassifier, progressFilterOf } from './progressFiles';

/**
 * What a scan lists, derived from the enabled recognisers: files whose name matches `names`, or whose path matches
 * `paths` (files inside checkpoint folders), never descending into `exclude`d folders. The same filter drives the
 * remote `find` expression and the SFTP walk, so both give the same result.
 */
export interface ScanFilter {
  readonly names: readonly string[];
  readonly paths: readonly string[];
  readonly exclude: readonly string[];
  readonly maxDepth: number;
  readonly maxEntries: number;
  /** Log files for the idle rule's progress signal, listed by the same pass (undefined: none). */
  readonly progress?: ProgressFilter;
}

export const STEP_EXTENSIONS = ['pt', 'pth', 'bin', 'ckpt', 'safetensors', 'pkl', 'h5', 'npz', 'tar', 'msgpack'] as const;

const FILTERS: Record<RecogniserId, { names: string[]; paths: string[] }> = {
  huggingface: { names: [], paths: ['*/checkpoint-*/*'] },
  deepspeed: { names: ['latest'], paths: ['*/global_step*/*'] },
  lightning: { names: ['*.ckpt'], paths: [] },
  safetensors: { names: ['*.safetensors', '*.safetensors.index.json'], paths: [] },
  pytorch: { names: ['*.pt', '*.pth', '*.bin', '*.bin.index.json'], paths: [] },
  stepNumber: { names: STEP_EXTENSIONS.map((e) => `*.${e}`), paths: [] },
};

export function scanFilterOf(s: Pick<CheckpointSettings, 'disabled' | 'extraPatterns' | 'exclude' | 'maxDepth' | 'maxEntries'> & { readonly progressFiles?: readonly string[] }): ScanFilter {
  const names = new Set<string>(s.extraPatterns);
  const paths = new Set<string>();
  for (const [id, f] of Object.entries(FILTERS) as [RecogniserId, (typeof FILTERS)[RecogniserId]][]) {
    if (s.disabled.includes(id)) continue;
    f.names.forEach((n) => names.add(n));
    f.paths.forEach((p) => paths.add(p));
  }
  const progress = progressFilterOf(s.progressFiles ?? [], s.exclude);
  return { names: [...names], paths: [...paths], exclude: [...s.exclude], maxDepth: s.maxDepth, maxEntries: s.maxEntries, ...(progress ? { progress } : {}) };
}

/** Excluded folders the scan still enters because a progress path glob names them (their logs only). */
export function prunedFolders(f: ScanFilter): readonly string[] {
  const enter = new Set(f.progress?.enter ?? []);
  return f.exclude.filter((e) => !enter.has(e));
}

/**
 * The filter as predicates for the SFTP walk; like find's -path, `paths` match "<root>/<rel>". `kind` says what a
 * file is after the same post-filter find's records get (progressClassifier), so both ways give the same lists.
 */
export function filterPredicates(
  f: ScanFilter,
  root: string,
): { excluded(name: string): boolean; wanted(relPath: string): boolean; kind(relPath: string): 'checkpoint' | 'log' | undefined } {
  const name = globMatcher(f.names);
  const path = globMatcher(f.paths);
  const excluded = globMatcher(prunedFolders(f));
  const classify = progressClassifier(f.progress, f.exclude, root);
  const wanted = (rel: string): boolean => name(rel.slice(rel.lastIndexOf('/') + 1)) || path(`${root}/${rel}`);
  return {
    excluded,
    wanted,
    kind: (rel) => (wanted(rel) ? (classify.checkpoint(rel) ? 'checkpoint' : undefined) : classify.log(rel) ? 'log' : undefined),
  };
}
