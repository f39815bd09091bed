import { RemoteGpuError } from '../errors';
import { t } from '../../shared/l10n';

export const INCLUDE_COMMENT = '# Added by Remote GPU: hosts of instances it manages. Delete this line and the next to undo.';

export interface EnsureIncludeResult {
  readonly text: string;
  readonly changed: boolean;
}

/**
 * Makes the user's ~/.ssh/config include the managed file before its first Host or Match line: an Include after
 * a Host line belongs to that block and would apply only when that host matches. Nothing else in the file is
 * touched: an Include already in place leaves the text byte for byte; one of ours that sits inside a block is moved
 * up. CRLF files get CRLF lines; a missing file (undefined) becomes a file with just the Include.
 *
 * `targets` are the spellings that count as our file (absolute path, `~/…` form); the first is written.
 */
export function ensureInclude(text: string | undefined, targets: readonly string[]): EnsureIncludeResult {
  const path = targets[0];
  if (path === undefined) throw new RemoteGpuError('internal', t('No managed config path given.'));
  if (/["\\\r\n\0%*?[]/.test(path)) {
    throw new RemoteGpuError('config', t('Cannot include {0} from ~/.ssh/config: the path has characters an Include line cannot hold.', JSON.stringify(path)));
  }
  const ours = (line: string): boolean => includeArgs(line).some((arg) => targets.includes(arg));
  const added = [INCLUDE_COMMENT, `Include "${path}"`];
  if (text === undefined || text === '') return { text: `${added.join('\n')}\n`, changed: true };

  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const lines = text.slice(bom.length).split(/\r?\n/);
  const firstBlock = lines.findIndex(isBlockStart);
  const limit = firstBlock === -1 ? lines.length : firstBlock;
  if (lines.slice(0, limit).some(ours)) return { text, changed: false };

  // Ours, but inside a block (the user moved it, or an older file): take it and its comment out, then add at the top.
  const kept = lines.filter((line, i) => !ours(line) && !(line === INCLUDE_COMMENT && ours(lines[i + 1] ?? '')));
  const body = kept.join(eol);
  return { text: `${bom}${added.join(eol)}${eol}${eol}${body}`, changed: true };
}

/** `Host …` or `Match …` (also `Host=…`), which opens a block in ssh_config. */
function isBlockStart(line: string): boolean {
  return /^\s*(?:host|match)(?:\s|=)/i.test(line);
}

/** The arguments of an Include line (quotes removed), or none for any other line. */
export function includeArgs(line: string): string[] {
  const m = /^\s*include(?:\s*=\s*|\s+)(.*)$/i.exec(line);
  if (!m?.[1]) return [];
  return (m[1].match(/"[^"]*"|[^\s"]+/g) ?? []).map((a) => a.replace(/^"|"$/g, ''));
}
