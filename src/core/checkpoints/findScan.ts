import { RemoteGpuError } from '../errors';
import type { ExecResult, RemoteCommand } from '../remote/remoteCommand';
import type { ScanEntry, ScanResult } from './checkpoint';
import type { ScanFilter } from './scanFilter';
import { t } from '../../shared/l10n';

/**
 * The scan as ONE remote exec. A fixed script (never built from user input) runs find with the expression passed as
 * positional arguments, so every name, glob and the root travel through shQuote like any argv element.
 *
 * - `-printf '%s\t%T@\t%P\0'`: size, mtime and path relative to the root, NUL-terminated so names holding newlines
 *   or tabs survive (the path is the last field and is read up to the NUL).
 * - `head -z -n N` bounds the count; find then dies of SIGPIPE, which is how a truncated scan looks.
 * - find's own exit status and the remote clock go to stderr as markers, since the pipeline's status is head's.
 */
const SCRIPT = [
  'n=$1; shift',
  'echo "rgpu-now:$(date +%s)" >&2',
  '{ find "$@"; echo "rgpu-find-exit:$?" >&2; } | head -z -n "$n"',
].join('\n');

export const FIND_FORMAT = '%s\\t%T@\\t%P\\0';

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

/** find's expression: prune excluded folders, list matching regular files (symlinks are not followed). */
export function findArgv(root: string, f: ScanFilter): string[] {
  const wanted = [...orList('-name', f.names), ...(f.names.length && f.paths.length ? ['-o'] : []), ...orList('-path', f.paths)];
  const prune = f.exclude.length ? ['(', '-type', 'd', '(', ...orList('-name', f.exclude), ')', ')', '-prune', '-o'] : [];
  return [
    'sh', '-c', SCRIPT, 'rgpu-scan', String(f.maxEntries),
    normaliseRoot(root), '-mindepth', '1', '-maxdepth', String(f.maxDepth),
    ...prune, '-type', 'f', '(', ...(wanted.length ? wanted : ['-false']), ')', '-printf', FIND_FORMAT,
  ];
}

/** The scan needs the SFTP walk instead: no find, or a find without -printf / a head without -z (busybox, BSD). */
export class FindUnsupported extends Error {
  override readonly name = 'FindUnsupported';
}

export function parseFindRecords(stdout: string): ScanEntry[] {
  const out: ScanEntry[] = [];
  for (const rec of stdout.split('\0')) {
    if (rec === '') continue;
    const t1 = rec.indexOf('\t');
    const t2 = rec.indexOf('\t', t1 + 1);
    if (t1 < 1 || t2 < 0) continue;
    const size = Number(rec.slice(0, t1));
    const mtime = Number(rec.slice(t1 + 1, t2));
    const path = rec.slice(t2 + 1);
    if (!Number.isFinite(size) || !Number.isFinite(mtime) || path === '') continue;
    out.push({ path, size, mtimeMs: Math.round(mtime * 1000) });
  }
  return out;
}

function marker(stderr: string, name: string): string | undefined {
  return new RegExp(`^rgpu-${name}:(.*)$`, 'm').exec(stderr)?.[1];
}

const UNSUPPORTED = /-printf|unrecognized|unknown (?:primary|predicate|option)|invalid option|illegal option|find: not found|command not found/i;

function parseFind(root: string, f: ScanFilter, r: ExecResult): ScanResult {
  const entries = parseFindRecords(r.stdout);
  const exit = marker(r.stderr, 'find-exit');
  const nowS = Number(marker(r.stderr, 'now'));
  const remoteNowMs = Number.isFinite(nowS) && nowS > 0 ? nowS * 1000 : undefined;
  const errors = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('rgpu-'));
  if (entries.length === 0 && exit !== '0') {
    if (exit === '127' || UNSUPPORTED.test(errors.join('\n'))) throw new FindUnsupported(errors.join('\n'));
    if (/No such file or directory/.test(errors.join('\n'))) {
      throw new RemoteGpuError('notFound', t('The checkpoint folder {0} does not exist on the instance.', root), errors.join('\n'));
    }
    if (exit === undefined) throw new FindUnsupported(errors.join('\n') || `exit ${String(r.code)}`);
    throw new RemoteGpuError('remoteFailed', t('Listing checkpoints in {0} failed.', root), errors.join('\n').slice(0, 2000));
  }
  // A non-zero find with output: some folders were unreadable (permission denied); what it listed is still true.
  return { root, entries, truncated: entries.length >= f.maxEntries, remoteNowMs, via: 'find' };
}

/** Most output a scan may print: a path is at most 4096 bytes, plus size and mtime. */
export function findOutputBudget(f: ScanFilter): number {
  return Math.min(f.maxEntries * 4200 + 65_536, 64 * 1024 * 1024);
}

export function findScanCommand(root: string, f: ScanFilter): RemoteCommand<ScanResult> {
  return { argv: findArgv(root, f), parse: (r) => parseFind(root, f, r) };
}
