import { createHmac, timingSafeEqual } from 'node:crypto';
import { keyTypeOfBlob } from './keyBlob';

/**
 * OpenSSH known_hosts, as sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT" describes it:
 *   [@marker] hostpatterns keytype base64key [comment]
 * hostpatterns is a comma list of names with `*`/`?` wildcards and `!` negation, `[host]:port` for other ports, or a
 * single hashed name `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`.
 */
export interface KnownHostEntry {
  readonly marker: 'revoked' | undefined;
  /** Plain patterns, or empty when hashed is set. */
  readonly patterns: readonly string[];
  readonly hashed: { readonly salt: Buffer; readonly hash: Buffer } | undefined;
  /** The type written on the line; the key blob's own type is what is compared. */
  readonly keyType: string;
  readonly key: Buffer;
  readonly source: string;
  readonly line: number;
}

export interface KnownHostsParseResult {
  readonly entries: KnownHostEntry[];
  /** "file:line: why" for every line that was skipped as malformed; logged, never fatal. */
  readonly problems: string[];
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function parseKnownHosts(text: string, source: string): KnownHostsParseResult {
  const entries: KnownHostEntry[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parsed = parseLine(line, source, i + 1);
    if (typeof parsed === 'string') problems.push(`${source}:${i + 1}: ${parsed}`);
    else if (parsed) entries.push(parsed);
  });
  return { entries, problems };
}

/** An entry, undefined for a line that is valid but not for us (@cert-authority), or why it was skipped. */
function parseLine(line: string, source: string, lineNo: number): KnownHostEntry | undefined | string {
  const fields = line.split(/\s+/);
  let marker: KnownHostEntry['marker'];
  if (fields[0]?.startsWith('@')) {
    const m = fields.shift();
    // CA-signed host certificates are not supported; ignoring the line means such hosts get asked about (TOFU).
    if (m === '@cert-authority') return undefined;
    if (m !== '@revoked') return `unknown marker ${m ?? ''}`;
    marker = 'revoked';
  }
  const [hosts, keyType, keyB64] = fields;
  if (hosts === undefined || keyType === undefined || keyB64 === undefined) return 'too few fields';
  if (!BASE64.test(keyB64)) return 'key is not base64';
  const key = Buffer.from(keyB64, 'base64');
  const blobType = keyTypeOfBlob(key);
  if (blobType === undefined) return 'key is not an SSH public key blob';
  if (blobType !== keyType) return `key type ${keyType} does not match its key (${blobType})`;
  if (hosts.startsWith('|')) {
    const hashed = parseHashed(hosts);
    if (!hashed) return 'malformed hashed host name';
    return { marker, patterns: [], hashed, keyType, key, source, line: lineNo };
  }
  const patterns = hosts.split(',').filter((p) => p !== '');
  if (patterns.length === 0) return 'no host patterns';
  return { marker, patterns, hashed: undefined, keyType, key, source, line: lineNo };
}

function parseHashed(field: string): KnownHostEntry['hashed'] {
  const parts = field.split('|');
  // "", "1", salt, hash
  if (parts.length !== 4 || parts[1] !== '1') return undefined;
  const [, , saltB64 = '', hashB64 = ''] = parts;
  if (!BASE64.test(saltB64) || !BASE64.test(hashB64)) return undefined;
  const salt = Buffer.from(saltB64, 'base64');
  const hash = Buffer.from(hashB64, 'base64');
  // SHA-1 sized, as ssh-keygen -H writes them.
  return salt.length === 20 && hash.length === 20 ? { salt, hash } : undefined;
}

/** The hashed form of a name as ssh-keygen -H writes it; exported for tests and for writing hashed entries later. */
export function hashHostName(name: string, salt: Buffer): string {
  const hmac = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${hmac.toString('base64')}`;
}

/** Does `name` (already in known_hosts form: host or [host]:port) match this entry's host field? */
export function entryMatchesName(entry: KnownHostEntry, name: string): boolean {
  if (entry.hashed) {
    const hmac = createHmac('sha1', entry.hashed.salt).update(name).digest();
    return timingSafeEqual(hmac, entry.hashed.hash);
  }
  // OpenSSH: a matching negated pattern wins over any positive one.
  let positive = false;
  for (const p of entry.patterns) {
    const negated = p.startsWith('!');
    if (wildcardMatch(negated ? p.slice(1) : p, name)) {
      if (negated) return false;
      positive = true;
    }
  }
  return positive;
}

/** OpenSSH host patterns: `*` any run, `?` one character, case-insensitive. */
function wildcardMatch(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

export type HostKeyStatus =
  | { readonly kind: 'trusted'; readonly entry: KnownHostEntry }
  | { readonly kind: 'revoked'; readonly entry: KnownHostEntry }
  /** The name is known with a different key of the same type: possibly an attack. */
  | { readonly kind: 'changed'; readonly entries: readonly KnownHostEntry[] }
  /** The name is known, but only with keys of other types. */
  | { readonly kind: 'otherTypes'; readonly knownTypes: readonly string[] }
  | { readonly kind: 'unknown' };

/**
 * Classifies a presented host key against known entries. Revocation wins over everything (the key must never be
 * accepted, whatever else says), then a match, then a same-type mismatch; several keys per name are allowed.
 */
export function checkHostKey(entries: readonly KnownHostEntry[], name: string, key: Buffer): HostKeyStatus {
  const forName = entries.filter((e) => entryMatchesName(e, name));
  // `@revoked * key` revokes a key everywhere: "*" matches every name.
  const revoked = forName.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) return { kind: 'revoked', entry: revoked };
  const plain = forName.filter((e) => e.marker === undefined);
  const trusted = plain.find((e) => e.key.equals(key));
  if (trusted) return { kind: 'trusted', entry: trusted };
  const type = keyTypeOfBlob(key);
  const sameType = plain.filter((e) => keyTypeOfBlob(e.key) === type);
  if (sameType.length > 0) return { kind: 'changed', entries: sameType };
  if (plain.length > 0) return { kind: 'otherTypes', knownTypes: [...new Set(plain.map((e) => e.keyType))] };
  return { kind: 'unknown' };
}

/** One known_hosts line for a newly trusted key, the way ssh writes it (unhashed). */
export function formatKnownHostLine(name: string, key: Buffer): string {
  const type = keyTypeOfBlob(key);
  if (type === undefined) throw new TypeError('Not an SSH public key blob.');
  return `${name} ${type} ${key.toString('base64')}`;
}
