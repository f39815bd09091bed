import { freeAlias, renderHostBlock, sanitizeAlias } from './managedHost';
import type { ManagedHostSpec, ManagedPaths } from './managedHost';

/**
 * The file Remote GPU owns (~/.ssh/remote-gpu/config): a header, then one block per host, each opened by a marker
 * comment that carries its id as JSON (so a hostile id cannot break the line). Everything here is text in, text out;
 * src/remote/managedSshConfig.ts does the file I/O.
 */
export interface ManagedEntry {
  readonly id: string;
  readonly alias: string;
  /** The block's lines, marker first, without trailing blank lines. */
  readonly lines: readonly string[];
}

export const MANAGED_HEADER = [
  '# Written by the Remote GPU extension: one Host block per instance you connected to.',
  '# It is rewritten on Connect and entries of deleted instances are removed; edits here do not survive.',
  '# To stop using it, delete the Include line for this file in ~/.ssh/config (and this directory).',
];

const MARKER = /^# remote-gpu (\{.*\})\s*$/;

/** Blocks of a managed file; anything before the first marker (the header) is dropped and rewritten. */
export function parseManaged(text: string): ManagedEntry[] {
  const entries: ManagedEntry[] = [];
  let current: { id: string; lines: string[] } | undefined;
  const flush = (): void => {
    if (!current) return;
    while (current.lines.length > 0 && current.lines[current.lines.length - 1]?.trim() === '') current.lines.pop();
    const hostLine = current.lines.find((l) => /^\s*Host\s/i.test(l));
    const alias = hostLine?.trim().split(/\s+/)[1];
    if (alias) entries.push({ id: current.id, alias, lines: current.lines });
    current = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    const id = markerId(line);
    if (id !== undefined) {
      flush();
      current = { id, lines: [line] };
    } else if (current) {
      current.lines.push(line);
    }
  }
  flush();
  return entries;
}

function markerId(line: string): string | undefined {
  const m = MARKER.exec(line);
  if (!m?.[1]) return undefined;
  try {
    const parsed: unknown = JSON.parse(m[1]);
    const id = (parsed as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

export function renderManaged(entries: readonly ManagedEntry[]): string {
  const parts = [MANAGED_HEADER.join('\n'), ...entries.map((e) => e.lines.join('\n'))];
  return `${parts.join('\n\n')}\n`;
}

export interface UpsertResult {
  readonly text: string;
  readonly alias: string;
  readonly changed: boolean;
}

/**
 * Adds or replaces the block for spec.id. An entry keeps its alias across runs (so Remote-SSH's recent list and
 * the stored host key stay valid) unless a user's own Host now uses that name; a new alias never equals a name in
 * `userAliases` or another managed entry, because our Include comes first and would shadow the user's block.
 */
export function upsertManaged(text: string, spec: ManagedHostSpec, userAliases: ReadonlySet<string>, paths: ManagedPaths): UpsertResult {
  const entries = parseManaged(text);
  const existing = entries.find((e) => e.id === spec.id);
  const others = entries.filter((e) => e.id !== spec.id);
  const taken = new Set([...[...userAliases].map((a) => a.toLowerCase()), ...others.map((e) => e.alias.toLowerCase())]);
  const keep = existing && !taken.has(existing.alias.toLowerCase()) && sanitizeAlias(existing.alias) === existing.alias;
  const alias = keep ? existing.alias : freeAlias(sanitizeAlias(spec.aliasHint), taken);
  const entry: ManagedEntry = { id: spec.id, alias, lines: renderHostBlock(spec, alias, paths) };
  const next = existing ? entries.map((e) => (e === existing ? entry : e)) : [...entries, entry];
  const out = renderManaged(next);
  return { text: out, alias, changed: out !== text };
}

export interface PruneResult {
  readonly text: string;
  readonly removed: readonly ManagedEntry[];
}

/** Drops every entry `keep` refuses, e.g. instances of one provider that its latest listing no longer has. */
export function pruneManaged(text: string, keep: (id: string) => boolean): PruneResult {
  const entries = parseManaged(text);
  const removed = entries.filter((e) => !keep(e.id));
  if (removed.length === 0) return { text, removed };
  return { text: renderManaged(entries.filter((e) => keep(e.id))), removed };
}

/**
 * The keep() for prune after one provider listed its instances (ids `<provider>:<instanceId>`): that provider's
 * entries stay only if still listed; every other entry (other providers, whose listing may have failed; settings
 * hosts) is not this listing's business.
 */
export function keepListed(provider: string, liveIds: ReadonlySet<string>): (id: string) => boolean {
  const prefix = `${provider}:`;
  return (id) => !id.startsWith(prefix) || liveIds.has(id);
}
