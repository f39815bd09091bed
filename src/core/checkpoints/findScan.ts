import { RemoteGpuError } from '../errors';
import type { ExecResult, RemoteCommand } from '../remote/remoteCommand';
import type { ScanEntry, ScanResult } from './checkpoint';
import { findPathGlob, progressClassifier } from './progressFiles';
import type { ScanFilter } from './scanFilter';
import { prunedFolders } from './scanFilter';
import { t } from '../../shared/l10n';

/**
 * The scan as ONE remote exec. A fixed script (never built from user input) runs find with the expression passed as
 * positional arguments, so every name, glob and the root travel through shQuote like any argv element.
 *
 * - `-printf '%s\t%T@\t%P\0'`: size, mtime and path relative to the root, NUL-terminated so names holding newlines
 *   or tabs survive (the path is the last field and is read up to the NUL).
 * - `head -z -n N` bounds the count; find then dies of SIGPIPE, which is how a truncated scan looks.
 * - find's own exit status and the remote clock go to stderr as markers, since the pipeline's status is head's.
 * - Log files for the progress signal come from a second branch of the same expression, printed with a leading 'L'
 *   (a checkpoint record starts with a digit), so the logs cost no second remote process.
 */
const SCRIPT = [
  'n=$1; shift',
  'echo "rgpu-now:$(date +%s)" >&2',
  '{ find "$@"; echo "rgpu-find-exit:$?" >&2; } | head -z -n "$n"',
].join('\n');

export const FIND_FORMAT = '%s\\t%T@\\t%P\\0';
export const FIND_LOG_FORMAT = `L${FIND_FORMAT}`;

/** find treats a leading '-' as an option and '~' is not expanded inside quotes: both are rewritten. */
export function normaliseRoot(root: string): string {
  const trimmed = root.length > 1 ? root.replace(/\/+$/, '') || '/' : root;
  if (trimmed === '~' || trimmed === '') return '.';
  if (trimmed.startsWith('~/')) return trimmed.slice(2) || '.';
  if (trimmed.startsWith('-')) return `./${trimmed}`;
  return trimmed;
}

function orList(flag: string, values: readonly string[]): string[] {
  return values.flatMap((v, i) => (i === 0 ? [flag, v] : ['-o', flag, v]));
}

function anyOf(names: readonly string[], paths: readonly string[]): string[] {
  const list = [...orList('-name', names), ...(names.length && paths.length ? ['-o'] : []), ...orList('-path', paths)];
  return list.length ? list : ['-false'];
}

/** find's expression: prune excluded folders, list matching regular files (symlinks are not followed). */
export function findArgv(root: string, f: ScanFilter): string[] {
  const pruned = prunedFolders(f);
  const prune = pruned.length ? ['(', '-type', 'd', '(', ...orList('-name', pruned), ')', ')', '-prune', '-o'] : [];
  const p = f.progress;
  const logs = p ? ['-o', '-type', 'f', '(', ...anyOf(p.names, p.paths.map(findPathGlob)), ')', '-printf', FIND_LOG_FORMAT] : [];
  return [
    'sh', '-c', SCRIPT, 'rgpu-scan', String(f.maxEntries),
    normaliseRoot(root), '-mindepth', '1', '-maxdepth', String(f.maxDepth),
    ...prune, '-type', 'f', '(', ...anyOf(f.names, f.paths), ')', '-printf', FIND_FORMAT, ...logs,
  ];
}

/** The scan needs the SFTP walk instead: no find, or a find without -printf / a head without -z (busybox, BSD). */
export class FindUnsupported extends Error {
  override readonly name = 'FindUnsupported';
}

/** find's NUL records: checkpoint candidates, and log files (records starting with 'L'). */
export function parseFindRecords(stdout: string): { entries: ScanEntry[]; logs: ScanEntry[] } {
  const entries: ScanEntry[] = [];
  const logs: ScanEntry[] = [];
  for (const raw of stdout.split('\0')) {
    const isLog = raw.startsWith('L');
    const rec = isLog ? raw.slice(1) : raw;
    if (rec === '') continue;
    const t1 = rec.indexOf('\t');
    const t2 = rec.indexOf('\t', t1 + 1);
    if (t1 < 1 || t2 < 0) continue;
    const size = Number(rec.slice(0, t1));
    const mtime = Number(rec.slice(t1 + 1, t2));
    const path = rec.slice(t2 + 1);
    if (!Number.isFinite(size) || !Number.isFinite(mtime) || path === '') continue;
    (isLog ? logs : entries).push({ path, size, mtimeMs: Math.round(mtime * 1000) });
  }
  return { entries, logs };
}

function marker(stderr: string, name: string): string | undefined {
  return new RegExp(`^rgpu-${name}:(.*)$`, 'm').exec(stderr)?.[1];
}

const UNSUPPORTED = /-printf|unrecognized|unknown (?:primary|predicate|option)|invalid option|illegal option|find: not found|command not found/i;

function parseFind(root: string, f: ScanFilter, r: ExecResult): ScanResult {
  const records = parseFindRecords(r.stdout);
  // find entered the folders progress globs name (wandb): only their logs count, and only logs that really match.
  const keep = progressClassifier(f.progress, f.exclude, normaliseRoot(root));
  const entries = records.entries.filter((e) => keep.checkpoint(e.path));
  const logs = records.logs.filter((e) => keep.log(e.path));
  const listed = records.entries.length + records.logs.length;
  const exit = marker(r.stderr, 'find-exit');
  const nowS = Number(marker(r.stderr, 'now'));
  const remoteNowMs = Number.isFinite(nowS) && nowS > 0 ? nowS * 1000 : undefined;
  const errors = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('rgpu-'));
  if (listed === 0 && exit !== '0') {
    if (exit === '127' || UNSUPPORTED.test(errors.join('\n'))) throw new FindUnsupported(errors.join('\n'));
    if (/No such file or directory/.test(errors.join('\n'))) {
      throw new RemoteGpuError('notFound', t('The checkpoint folder {0} does not exist on the instance.', root), errors.join('\n'));
    }
    if (exit === undefined) throw new FindUnsupported(errors.join('\n') || `exit ${String(r.code)}`);
    throw new RemoteGpuError('remoteFailed', t('Listing checkpoints in {0} failed.', root), errors.join('\n').slice(0, 2000));
  }
  // A non-zero find with output: some folders were unreadable (permission denied); what it listed is still true.
  return { root, entries, ...(f.progress ? { logs } : {}), truncated: listed >= f.maxEntries, remoteNowMs, via: 'find' };
}

/** Most output a scan may print: a path is at most 4096 bytes, plus size and mtime. */
export function findOutputBudget(f: ScanFilter): number {
  return Math.min(f.maxEntries * 4200 + 65_536, 64 * 1024 * 1024);
}

export function findScanCommand(root: string, f: ScanFilter): RemoteCommand<ScanResult> {
  return { argv: findArgv(root, f), parse: (r) => parseFind(root, f, r) };
}
