import { normaliseRoot } from '../checkpoints/findScan';
import { globMatcher } from '../checkpoints/glob';
import { shQuote } from '../remote/shellQuote';
import { t } from '../../shared/l10n';

/**
 * The progress signal on the instance: log files under the project folder(s) that grew since the previous look count
 * as work, as the extension's checkpoint monitor does (src/core/checkpoints/logGrowth.ts), so a CPU-bound step that
 * writes its log at 0 % GPU is not stopped with the laptop closed.
 */
export interface WatchdogProgress {
  /** Project folders as the extension scans them: absolute, or relative to $HOME. */
  readonly roots: readonly string[];
  /** File-name globs (find -name). */
  readonly names: readonly string[];
  /** Path globs below a root (find -path), e.g. "wandb/*\/files/output.log". */
  readonly paths: readonly string[];
  /** Folder names never entered (the checkpoint exclude list); hidden folders are never entered either. */
  readonly exclude: readonly string[];
  /** Files deeper than this below a root are not looked at. */
  readonly maxDepth: number;
  /** Logs listed at most per look; a longer listing counts only growth of files it already knew. */
  readonly maxFiles: number;
  /** One find may run this long (where `timeout` exists); a cut listing is treated like a truncated one. */
  readonly timeoutSec: number;
}

export const DEFAULT_PROGRESS_MAX_FILES = 2000;
export const DEFAULT_PROGRESS_TIMEOUT_SEC = 20;

/** From the checkpoint settings the extension scans with; undefined when there is no folder or no pattern. */
export function watchdogProgressFrom(s: {
  readonly roots: readonly string[];
  readonly patterns: readonly string[];
  readonly exclude: readonly string[];
  readonly maxDepth: number;
  readonly maxFiles?: number;
}): WatchdogProgress | undefined {
  const roots = [...new Set(s.roots.map((r) => r.trim()).filter((r) => r !== '').map(normaliseRoot))];
  if (roots.length === 0 || s.patterns.length === 0) return undefined;
  return {
    roots,
    names: s.patterns.filter((p) => !p.includes('/')),
    paths: s.patterns.filter((p) => p.includes('/')),
    exclude: [...s.exclude],
    maxDepth: s.maxDepth,
    maxFiles: s.maxFiles ?? DEFAULT_PROGRESS_MAX_FILES,
    timeoutSec: DEFAULT_PROGRESS_TIMEOUT_SEC,
  };
}

/** Problems in words (for the message) with the field for the log; none when usable. */
export function progressProblems(p: WatchdogProgress): { text: string; field: string }[] {
  const problems: { text: string; field: string }[] = [];
  for (const r of p.roots) {
    // A line break would end the path in the listing, which is one path a line; NUL cannot be passed at all.
    if (r === '' || /[\n\r\0]/.test(r) || r.length > 4096) problems.push({ field: 'progress.roots', text: t('the log folder "{0}" must be a path without line breaks', r) });
  }
  if (p.roots.length > 16) problems.push({ field: 'progress.roots', text: t('at most 16 log folders can be watched') });
  if ([...p.names, ...p.paths, ...p.exclude].some((g) => g === '' || g.includes('\0') || g.startsWith('/'))) {
    problems.push({ field: 'progress.patterns', text: t('a log file pattern is empty or starts with "/"') });
  }
  const whole = (v: number, max: number) => Number.isInteger(v) && v >= 1 && v <= max;
  if (!whole(p.maxDepth, 32) || !whole(p.maxFiles, 1_000_000) || !whole(p.timeoutSec, 3600)) {
    problems.push({ field: 'progress.limits', text: t('the log depth, file count and time limits must be whole numbers of at least 1') });
  }
  return problems;
}

/** A literal as a find pattern: fnmatch takes a backslash before a character as that character. */
function literalPattern(s: string): string {
  return s.replace(/[\\*?[]/g, '\\$&');
}

function orList(flag: string, values: readonly string[]): string[] {
  return values.flatMap((v, i) => (i === 0 ? [flag, v] : ['-o', flag, v]));
}

/**
 * find's argv for one root (POSIX primaries only: -H, -path, -prune, -newer, no -maxdepth or -printf). It prints
 * each matching log's path on a line, twice in a row when the file changed after "$PROGRESS_MARK" (the previous
 * look), which is how a new file is told from an old one without -printf. The token MARK stands for that variable.
 */
export function progressFindArgv(p: WatchdogProgress, root: string): string[] {
  // find prints "/x" under "/", "<root>/x" elsewhere: the prefix every -path pattern is anchored at.
  const base = root === '/' ? '' : literalPattern(root);
  const below = (glob: string) => [`${base}/${glob}`, `${base}/*/${glob}`];
  const hasGlob = /[*?[]/;
  // Folders a path glob names literally ("wandb" in wandb/*/files/output.log) are entered even when excluded or
  // hidden; inside those that are otherwise kept out, only the path globs count (never a "*.log" name match).
  const literal = [...new Set(p.paths.flatMap((g) => g.split('/').slice(0, -1).filter((s) => s !== '' && !hasGlob.test(s))))];
  const excluded = globMatcher(p.exclude);
  const enter = literal.filter((f) => excluded(f) || f.startsWith('.'));
  const deep = `${base}${'/*'.repeat(p.maxDepth + 1)}`;
  const quietNames = ['(', ...orList('-name', ['.?*', ...p.exclude]), ')', ...literal.flatMap((f) => ['!', '-name', literalPattern(f)])];
  const byName = p.names.length ? ['(', '(', ...orList('-name', p.names), ')', ...enter.flatMap((f) => below(`${literalPattern(f)}/*`).flatMap((g) => ['!', '-path', g])), ')'] : [];
  const byPath = orList('-path', p.paths.flatMap(below));
  const match = [...byName, ...(byName.length && byPath.length ? ['-o'] : []), ...byPath];
  return [
    'find', '-H', root,
    '(', '-path', deep, '-prune', ')',
    '-o', '(', '-type', 'd', '-path', `${base}/*`, ...quietNames, '-prune', ')',
    // A path holding a line break is left out: the listing is one path a line.
    '-o', '(', '-type', 'f', '!', '-path', '*\n*', '(', ...match, ')', '(', '-newer', 'MARK', '-print', '-print', '-o', '-print', ')', ')',
  ];
}

/** The script's progress_find function: one bounded find per root, every element quoted. */
export function progressFindFunction(p: WatchdogProgress | undefined): string {
  if (!p || (p.names.length === 0 && p.paths.length === 0)) return 'PROGRESS=0\nprogress_find() { :; }';
  const lines = p.roots.map((root) => {
    const argv = progressFindArgv(p, root).map((a) => (a === 'MARK' ? '"$PROGRESS_MARK"' : shQuote(a)));
    // 124 is timeout's "cut short": an empty line tells the reader the listing is partial (a path is never empty).
    return `  run_bounded ${argv.join(' ')}; [ $? -ne 124 ] || echo`;
  });
  return [`PROGRESS=1`, `PROGRESS_MAX_FILES=${shQuote(String(p.maxFiles))}`, `PROGRESS_TIMEOUT_SEC=${shQuote(String(p.timeoutSec))}`, 'progress_find() {', ...lines, '}'].join('\n');
}

/**
 * The look itself, fixed text (the values come from progressFindFunction's assignments): needs DIR-derived
 * PROGRESS_PREV / PROGRESS_NOW / PROGRESS_MARK set. `progress_check` prints "LISTED GREW BYTES".
 */
export const PROGRESS_CHECK_SH = `# timeout(1) bounds a find on a huge or hung (network) tree where it exists; busybox's old "-t" form does not pass
# this probe, and then the depth and count bounds alone hold.
HAVE_TIMEOUT=0
if command -v timeout >/dev/null 2>&1 && timeout 5 true >/dev/null 2>&1; then HAVE_TIMEOUT=1; fi
run_bounded() { if [ "$HAVE_TIMEOUT" = 1 ]; then timeout "$PROGRESS_TIMEOUT_SEC" "$@"; else "$@"; fi; }

# The logs as "n|o INODE SIZE" lines (n: changed since the previous look, find printed it twice), then "partial"
# when the listing was cut (count bound or timeout). The first line is always "listing".
# A subshell body: the cd below stays in here.
progress_list() (
  echo listing
  # Relative folders are relative to $HOME, for find and for ls alike (the service's working folder may be /).
  cd "$HOME" 2>/dev/null || cd /
  progress_find 2>/dev/null | {
    files=0
    partial=0
    prev=
    set --
    while IFS= read -r f; do
      if [ -z "$f" ]; then partial=1; continue; fi
      if [ "$f" = "$prev" ]; then
        ls -lnid -- "$f" 2>/dev/null | awk 'NR == 1 { print "n", $1, $6 }'
        prev=
        continue
      fi
      if [ -n "$prev" ]; then set -- "$@" "$prev"; fi
      if [ $# -ge 64 ]; then ls -lnid -- "$@" 2>/dev/null | awk '{ print "o", $1, $6 }'; set --; fi
      files=$((files + 1))
      # Leaving the loop closes the pipe: find dies of SIGPIPE at its next path instead of walking on.
      if [ "$files" -gt "$PROGRESS_MAX_FILES" ]; then partial=1; prev=; break; fi
      prev=$f
    done
    if [ -n "$prev" ]; then set -- "$@" "$prev"; fi
    if [ $# -gt 0 ]; then ls -lnid -- "$@" 2>/dev/null | awk '{ print "o", $1, $6 }'; fi
    if [ "$partial" = 1 ]; then echo partial; fi
  }
)

# "LISTED GREW BYTES": how many logs were listed, how many grew since the previous look and by how much. Growth is
# by size, per file (inode): a touched file did not grow, a shrunk one was rotated or truncated (its new size is the
# next baseline), a new file with bytes written since the previous look grew (not when either listing was partial:
# a file cut from the older one would look new). The first look after start is only a baseline.
progress_check() {
  [ "$PROGRESS" = 1 ] || return 0
  [ -f "$PROGRESS_PREV" ] || printf 'listing\\npartial\\n' > "$PROGRESS_PREV"
  touch "$PROGRESS_MARK.next"
  progress_list > "$PROGRESS_NOW"
  awk -v cur_partial="$(grep -c '^partial$' "$PROGRESS_NOW")" '
    FNR == NR { if ($1 == "partial") prev_partial = 1; else if (NF == 3 && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/) was[$2] = $3; next }
    NF == 3 && ($1 == "n" || $1 == "o") && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ {
      listed++
      if ($2 in was) d = $3 - was[$2]
      else if ($1 == "n" && !prev_partial && !(cur_partial + 0)) d = $3
      else d = 0
      if (d > 0) { grew++; bytes += d }
    }
    END { printf "%d %d %.0f\\n", listed, grew, bytes }' "$PROGRESS_PREV" "$PROGRESS_NOW"
  mv -f "$PROGRESS_NOW" "$PROGRESS_PREV"
  mv -f "$PROGRESS_MARK.next" "$PROGRESS_MARK"
}`;
