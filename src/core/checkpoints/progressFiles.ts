import { z } from 'zod';
import { globMatcher } from './glob';

/**
 * Which files are "logs" for the idle rule's progress signal (issue 5): files a running job appends to. A pattern
 * without '/' is a file-name glob (find -name); one with '/' is a path glob matched at any depth under the project
 * folder (find -path '*\/<pattern>', where '*' also matches '/').
 *
 * The defaults are what common trainers append to while they run: console logs redirected to a file (`*.log`,
 * nohup's `*.out`, `*.err`), TensorBoard event files, Lightning's CSVLogger metrics, JSON-lines logs under `logs/`,
 * and Weights & Biases' copy of the console (`wandb/<run>/files/output.log`). wandb's own debug logs are left out:
 * its background process keeps writing them while a run hangs.
 */
export const DEFAULT_PROGRESS_FILES = ['*.log', '*.out', '*.err', 'events.out.tfevents.*', 'lightning_logs/*/metrics.csv', 'logs/*.jsonl', 'wandb/*/files/output.log'];

export const PROGRESS_GLOB = z
  .string()
  .min(1)
  .max(200)
  // A leading '/' would never match (patterns are relative to the project folder); NUL cannot reach find.
  .refine((s) => !s.startsWith('/') && !s.includes('\0'), 'a progress-file pattern is relative and has no NUL');

/** The log part of a scan: what find's second branch lists, and which pruned folders it must still enter. */
export interface ProgressFilter {
  readonly names: readonly string[];
  /** Path globs as given ("lightning_logs/*\/metrics.csv"); find gets them as `*\/<glob>`. */
  readonly paths: readonly string[];
  /**
   * Excluded folders a path glob names literally ("wandb" for `wandb/*\/files/output.log`): the scan enters them, and
   * inside them lists only files those path globs match (never checkpoints).
   */
  readonly enter: readonly string[];
}

const HAS_GLOB = /[*?[]/;

/** The literal folder names of a path glob ("wandb/*\/files/output.log" → wandb, files). */
function literalFolders(glob: string): string[] {
  return glob.split('/').slice(0, -1).filter((s) => s !== '' && !HAS_GLOB.test(s));
}

export function progressFilterOf(patterns: readonly string[], exclude: readonly string[]): ProgressFilter | undefined {
  if (patterns.length === 0) return undefined;
  const names = patterns.filter((p) => !p.includes('/'));
  const paths = patterns.filter((p) => p.includes('/'));
  const excluded = globMatcher(exclude);
  const enter = [...new Set(paths.flatMap(literalFolders).filter((f) => excluded(f)))];
  return { names, paths, enter };
}

/** A path glob as find's -path sees it: anchored at any folder boundary below the root. */
export function findPathGlob(glob: string): string {
  return `*/${glob}`;
}

/**
 * Which listed files really count, applied the same way to find's records and the SFTP walk's. find descends into
 * the `enter` folders for logs, so a checkpoint or a name-glob log found in there is dropped here; a log inside any
 * hidden folder (`.vscode-server`, `.cache`, ...) counts only where a path glob names that folder, since tools and
 * VS Code itself keep such logs growing with no job running.
 */
export function progressClassifier(p: ProgressFilter | undefined, exclude: readonly string[], root: string): { checkpoint(rel: string): boolean; log(rel: string): boolean } {
  const excluded = globMatcher(exclude);
  const byPath = p ? p.paths.map((g) => ({ match: globMatcher([findPathGlob(g)]), folders: new Set(literalFolders(g)) })) : [];
  const byName = globMatcher(p?.names ?? []);
  const folders = (rel: string): string[] => rel.split('/').slice(0, -1);
  const quiet = (f: string): boolean => f.startsWith('.') || excluded(f);
  return {
    checkpoint: (rel) => !folders(rel).some(excluded),
    log: (rel) => {
      if (!p) return false;
      const q = folders(rel).filter(quiet);
      const full = `${root}/${rel}`;
      if (q.length === 0 && byName(rel.slice(rel.lastIndexOf('/') + 1))) return true;
      return byPath.some((b) => b.match(full) && q.every((f) => b.folders.has(f)));
    },
  };
}
