import type { CheckpointSettings, RecogniserId } from './checkpointSettings';
import { globMatcher } from './glob';

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

export function scanFilterOf(s: Pick<CheckpointSettings, 'disabled' | 'extraPatterns' | 'exclude' | 'maxDepth' | 'maxEntries'>): ScanFilter {
  const names = new Set<string>(s.extraPatterns);
  const paths = new Set<string>();
  for (const [id, f] of Object.entries(FILTERS) as [RecogniserId, (typeof FILTERS)[RecogniserId]][]) {
    if (s.disabled.includes(id)) continue;
    f.names.forEach((n) => names.add(n));
    f.paths.forEach((p) => paths.add(p));
  }
  return { names: [...names], paths: [...paths], exclude: [...s.exclude], maxDepth: s.maxDepth, maxEntries: s.maxEntries };
}

/** The filter as predicates for the SFTP walk; like find's -path, `paths` match "<root>/<rel>". */
export function filterPredicates(f: ScanFilter, root: string): { excluded(name: string): boolean; wanted(relPath: string): boolean } {
  const name = globMatcher(f.names);
  const path = globMatcher(f.paths);
  const excluded = globMatcher(f.exclude);
  return {
    excluded,
    wanted: (rel) => name(rel.slice(rel.lastIndexOf('/') + 1)) || path(`${root}/${rel}`),
  };
}
