import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintSha256, keyTypeOfBlob } from '../../../src/remote/keyBlob';
import { checkHostKey, entryMatchesName, formatKnownHostLine, hashHostName, parseKnownHosts } from '../../../src/remote/knownHosts';

let dir: string;
const keys: Record<string, { line: string; blob: Buffer; path: string }> = {};

function genKey(name: string, type: string): void {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'unit', '-f', path]);
  const line = readFileSync(`${path}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  keys[name] = { line, blob: Buffer.from(line.split(' ')[1] ?? '', 'base64'), path };
}
const k = (name: string) => keys[name] as { line: string; blob: Buffer; path: string };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'remote-gpu-kh-'));
  genKey('ed', 'ed25519');
  genKey('ed2', 'ed25519');
  genKey('ec', 'ecdsa');
  genKey('rsa', 'rsa');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fingerprints and key blobs', () => {
  it.each(['ed', 'ec', 'rsa'])('fingerprint of %s equals ssh-keygen -lf', (name) => {
    const expected = execFileSync('ssh-keygen', ['-lf', `${k(name).path}.pub`], { encoding: 'utf8' }).split(' ')[1];
    expect(fingerprintSha256(k(name).blob)).toBe(expected);
    expect(fingerprintSha256(k(name).blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('reads the key type from the blob', () => {
    expect(keyTypeOfBlob(k('ed').blob)).toBe('ssh-ed25519');
    expect(keyTypeOfBlob(k('ec').blob)).toBe('ecdsa-sha2-nistp256');
    expect(keyTypeOfBlob(k('rsa').blob)).toBe('ssh-rsa');
    expect(keyTypeOfBlob(Buffer.from([0, 0, 0]))).toBeUndefined();
    expect(keyTypeOfBlob(Buffer.from([0, 0, 0, 200, 1, 2]))).toBeUndefined();
  });
});

describe('parseKnownHosts', () => {
  it('parses plain, comma lists, [host]:port, comments and blank lines', () => {
    const text = [
      '# a comment',
      '',
      `gpu1.example,10.0.0.5 ${k('ed').line} user@laptop`,
      `[gpu2.example]:2222 ${k('ec').line}`,
      '   ',
    ].join('\n');
    const { entries, problems } = parseKnownHosts(text, 'kh');
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.patterns, e.keyType, e.line])).toEqual([
      [['gpu1.example', '10.0.0.5'], 'ssh-ed25519', 3],
      [['[gpu2.example]:2222'], 'ecdsa-sha2-nistp256', 4],
    ]);
  });

  it('skips malformed lines with a reason instead of throwing', () => {
    const text = [
      'onlyonefield',
      'host ssh-ed25519',
      'host ssh-ed25519 !!!notbase64!!!',
      'host ssh-ed25519 AAAA',
      `host ssh-rsa ${k('ed').line.split(' ')[1]}`,
      `|1|short|hash ${k('ed').line}`,
      `@bogus host ${k('ed').line}`,
      `good.example ${k('ed').line}`,
    ].join('\r\n');
    const { entries, problems } = parseKnownHosts(text, 'kh');
    expect(entries.map((e) => e.patterns)).toEqual([['good.example']]);
    expect(problems).toHaveLength(7);
    expect(problems[0]).toMatch(/^kh:1: /);
    expect(problems[4]).toContain('does not match');
  });

  it('keeps @revoked, ignores @cert-authority', () => {
    const text = [`@revoked * ${k('ed').line}`, `@cert-authority *.example ${k('ec').line}`].join('\n');
    const { entries, problems } = parseKnownHosts(text, 'kh');
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.marker).toBe('revoked');
  });

  it('matches entries hashed by ssh-keygen -H', () => {
    const file = join(dir, 'to_hash');
    writeFileSync(file, `gpu1.example ${k('ed').line}\n[gpu2.example]:2222 ${k('ec').line}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const { entries, problems } = parseKnownHosts(readFileSync(file, 'utf8'), file);
    expect(problems).toEqual([]);
    expect(entries.every((e) => e.hashed !== undefined)).toBe(true);
    expect(checkHostKey(entries, 'gpu1.example', k('ed').blob).kind).toBe('trusted');
    expect(checkHostKey(entries, '[gpu2.example]:2222', k('ec').blob).kind).toBe('trusted');
    expect(checkHostKey(entries, 'gpu2.example', k('ec').blob).kind).toBe('unknown');
    expect(checkHostKey(entries, 'gpu3.example', k('ed').blob).kind).toBe('unknown');
  });

  it('hashHostName computes what ssh-keygen -F finds', () => {
    const file = join(dir, 'own_hash');
    writeFileSync(file, `${hashHostName('[h.example]:2200', randomBytes(20))} ${k('ed').line}\n`);
    const out = execFileSync('ssh-keygen', ['-F', '[h.example]:2200', '-f', file], { encoding: 'utf8' });
    expect(out).toContain(k('ed').line);
  });
});

describe('checkHostKey', () => {
  const parse = (text: string) => parseKnownHosts(text, 'kh').entries;

  it('trusts an exact match, also among several keys for one name', () => {
    const entries = parse(`h ${k('ed2').line}\nh ${k('ed').line}\n`);
    expect(checkHostKey(entries, 'h', k('ed').blob).kind).toBe('trusted');
  });

  it('reports a changed key of the same type with where it is known', () => {
    const status = checkHostKey(parse(`x ${k('ec').line}\nh ${k('ed2').line}\n`), 'h', k('ed').blob);
    expect(status.kind).toBe('changed');
    expect(status.kind === 'changed' && status.entries.map((e) => e.line)).toEqual([2]);
  });

  it('reports a name known only with other key types', () => {
    const status = checkHostKey(parse(`h ${k('ec').line}\nh ${k('rsa').line}\n`), 'h', k('ed').blob);
    expect(status).toEqual({ kind: 'otherTypes', knownTypes: ['ecdsa-sha2-nistp256', 'ssh-rsa'] });
  });

  it('revocation wins over a trusting line', () => {
    const entries = parse(`h ${k('ed').line}\n@revoked * ${k('ed').line}\n`);
    expect(checkHostKey(entries, 'h', k('ed').blob).kind).toBe('revoked');
    expect(checkHostKey(entries, 'h', k('ed2').blob).kind).toBe('changed');
  });

  it('uses [host]:port for non-22 ports only', () => {
    const entries = parse(`h ${k('ed').line}\n`);
    expect(checkHostKey(entries, '[h]:2222', k('ed').blob).kind).toBe('unknown');
  });

  it('supports wildcards and negation in host patterns', () => {
    const [e] = parse(`*.gpu.example,!bad.gpu.example,node?? ${k('ed').line}\n`);
    if (!e) throw new Error('no entry');
    expect(entryMatchesName(e, 'a.gpu.example')).toBe(true);
    expect(entryMatchesName(e, 'A.GPU.EXAMPLE')).toBe(true);
    expect(entryMatchesName(e, 'bad.gpu.example')).toBe(false);
    expect(entryMatchesName(e, 'node01')).toBe(true);
    expect(entryMatchesName(e, 'node1')).toBe(false);
    expect(entryMatchesName(e, 'gpu.example')).toBe(false);
    expect(entryMatchesName(e, 'axgpuxexample')).toBe(false);
  });

  it('formats a line that parses back to a trusted entry', () => {
    const line = formatKnownHostLine('[h]:2222', k('ed').blob);
    expect(line).toBe(`[h]:2222 ${k('ed').line}`);
    expect(checkHostKey(parse(line), '[h]:2222', k('ed').blob).kind).toBe('trusted');
  });
});
