import { describe, expect, it } from 'vitest';
import { isRemoteGpuError } from '../errors';
import { keepListed, parseManaged, pruneManaged, upsertManaged } from './managedConfig';
import type { SshHost } from '../hosts/sshHost';
import { freeAlias, managedSpecOf, renderHostBlock, sanitizeAlias } from './managedHost';
import type { ManagedHostSpec, ManagedPaths } from './managedHost';

const PATHS: ManagedPaths = { config: '/home/u/.ssh/remote-gpu/config', knownHosts: '/home/u/.ssh/remote-gpu/known_hosts' };
const spec = (over: Partial<ManagedHostSpec> = {}): ManagedHostSpec => ({
  id: 'lambda:abc123',
  aliasHint: 'lambda-train box',
  hostname: '203.0.113.7',
  port: 22,
  user: 'ubuntu',
  identityFiles: ['/home/u/.ssh/id_ed25519'],
  identitiesOnly: true,
  ...over,
});
const NONE = new Set<string>();

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isRemoteGpuError(e)) return e.reason;
    throw e;
  }
  throw new Error('expected a throw');
}

describe('sanitizeAlias', () => {
  it.each([
    ['train box', 'train-box'],
    ['My "Box"\nHost evil\n  ProxyCommand rm -rf ~', 'my-box-host-evil-proxycommand-rm-rf'],
    ['*', 'host'],
    ['!negated ?glob', 'negated-glob'],
    ['  --..leading', 'leading'],
    ['Ünïcödé GPU', 'unicode-gpu'],
    ['日本語', 'host'],
    ['a'.repeat(100), 'a'.repeat(48)],
  ])('%j → %j', (hint, alias) => {
    expect(sanitizeAlias(hint)).toBe(alias);
  });

  it('freeAlias skips names in use, case-insensitively', () => {
    expect(freeAlias('box', new Set(['box', 'box-2']))).toBe('box-3');
    expect(freeAlias('box', new Set(['other']))).toBe('box');
  });
});

describe('renderHostBlock', () => {
  it('writes the resolved endpoint, per-alias host keys, and never turns host-key checking off', () => {
    const lines = renderHostBlock(spec({ proxyJump: { user: 'jump', hostname: 'bastion.example.com', port: 2222 } }), 'lambda-train-box', PATHS);
    expect(lines).toEqual([
      '# remote-gpu {"id":"lambda:abc123"}',
      'Host lambda-train-box',
      '  HostName 203.0.113.7',
      '  Port 22',
      '  User ubuntu',
      '  IdentityFile "/home/u/.ssh/id_ed25519"',
      '  IdentitiesOnly yes',
      '  ProxyJump jump@bastion.example.com:2222',
      '  HostKeyAlias lambda-train-box',
      '  UserKnownHostsFile "/home/u/.ssh/remote-gpu/known_hosts"',
    ]);
    expect(lines.join('\n')).not.toMatch(/StrictHostKeyChecking/i);
  });

  it('quotes paths with spaces and doubles % so ssh does not expand tokens', () => {
    const lines = renderHostBlock(spec({ identityFiles: ['/home/a user/keys/100%/id'] }), 'x', PATHS);
    expect(lines).toContain('  IdentityFile "/home/a user/keys/100%%/id"');
  });

  it('accepts IPv6 addresses and brackets them in ProxyJump', () => {
    const lines = renderHostBlock(spec({ hostname: '2001:db8::1', proxyJump: { user: 'j', hostname: '2001:db8::2', port: 22 } }), 'x', PATHS);
    expect(lines).toContain('  HostName 2001:db8::1');
    expect(lines).toContain('  ProxyJump j@[2001:db8::2]:22');
  });

  it.each([
    ['a hostname with a newline', { hostname: '1.2.3.4\n  ProxyCommand sh' }],
    ['a hostname with a space', { hostname: 'a b' }],
    ['a hostname starting with a dash', { hostname: '-oProxyCommand=x' }],
    ['a user with a space', { user: 'ubuntu ProxyCommand' }],
    ['a user with a newline', { user: 'root\nHost *' }],
    ['a port out of range', { port: 70000 }],
    ['a fractional port', { port: 22.5 }],
    ['an identity file with a quote', { identityFiles: ['/tmp/a"b'] }],
    ['an identity file with a newline', { identityFiles: ['/tmp/a\nHost *'] }],
    ['a relative identity file', { identityFiles: ['id_rsa'] }],
    ['a jump user with @', { proxyJump: { user: 'a@b', hostname: 'h', port: 22 } }],
  ])('refuses %s with a config error', (_what, over) => {
    expect(reasonOf(() => renderHostBlock(spec(over), 'x', PATHS))).toBe('config');
  });

  it('refuses an alias that is not already sanitised', () => {
    expect(reasonOf(() => renderHostBlock(spec(), 'a b', PATHS))).toBe('config');
  });
});

describe('upsertManaged / pruneManaged', () => {
  it('writes a header and one block, and a second run changes nothing', () => {
    const first = upsertManaged('', spec(), NONE, PATHS);
    expect(first.changed).toBe(true);
    expect(first.alias).toBe('lambda-train-box');
    expect(first.text.startsWith('# Written by the Remote GPU extension')).toBe(true);
    const second = upsertManaged(first.text, spec(), NONE, PATHS);
    expect(second).toEqual({ text: first.text, alias: 'lambda-train-box', changed: false });
  });

  it('replaces an entry in place when its endpoint changes, keeping its alias', () => {
    let text = upsertManaged('', spec(), NONE, PATHS).text;
    text = upsertManaged(text, spec({ id: 'runpod:p1', aliasHint: 'runpod-pod', hostname: '192.0.2.5' }), NONE, PATHS).text;
    const moved = upsertManaged(text, spec({ hostname: '198.51.100.9', aliasHint: 'renamed' }), NONE, PATHS);
    expect(moved.alias).toBe('lambda-train-box');
    const entries = parseManaged(moved.text);
    expect(entries.map((e) => e.id)).toEqual(['lambda:abc123', 'runpod:p1']);
    expect(entries[0]?.lines).toContain('  HostName 198.51.100.9');
    expect(moved.text).not.toContain('203.0.113.7');
  });

  it('never takes the alias of a user Host or of another managed entry', () => {
    const user = new Set(['Lambda-Train-Box']);
    const a = upsertManaged('', spec(), user, PATHS);
    expect(a.alias).toBe('lambda-train-box-2');
    const b = upsertManaged(a.text, spec({ id: 'lambda:other' }), user, PATHS);
    expect(b.alias).toBe('lambda-train-box-3');
  });

  it('gives up a kept alias when the user later defines that Host themselves', () => {
    const a = upsertManaged('', spec(), NONE, PATHS);
    const b = upsertManaged(a.text, spec(), new Set(['lambda-train-box']), PATHS);
    expect(b.alias).toBe('lambda-train-box-2');
    expect(parseManaged(b.text)).toHaveLength(1);
  });

  it('a hostile instance name and id cannot add a line of their own', () => {
    const hostile = spec({ id: 'x"}\nHost *\n  ProxyCommand touch /tmp/pwned', aliasHint: 'evil\n  ProxyCommand touch /tmp/pwned\nHost *' });
    const { text, alias } = upsertManaged('', hostile, NONE, PATHS);
    expect(alias).toBe('evil-proxycommand-touch-tmp-pwned-host');
    const directives = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.trim().split(/\s+/)[0]);
    expect(directives).toEqual(['Host', 'HostName', 'Port', 'User', 'IdentityFile', 'IdentitiesOnly', 'HostKeyAlias', 'UserKnownHostsFile']);
    expect(parseManaged(text)[0]?.id).toBe(hostile.id);
  });

  it('prune removes entries the predicate refuses and leaves the rest byte for byte', () => {
    let text = upsertManaged('', spec(), NONE, PATHS).text;
    text = upsertManaged(text, spec({ id: 'lambda:gone', aliasHint: 'gone' }), NONE, PATHS).text;
    text = upsertManaged(text, spec({ id: 'runpod:p1', aliasHint: 'pod' }), NONE, PATHS).text;
    const live = new Set(['lambda:abc123']);
    const { text: pruned, removed } = pruneManaged(text, (id) => !id.startsWith('lambda:') || live.has(id));
    expect(removed.map((e) => e.alias)).toEqual(['gone']);
    expect(parseManaged(pruned).map((e) => e.id)).toEqual(['lambda:abc123', 'runpod:p1']);
    expect(pruneManaged(pruned, () => true)).toEqual({ text: pruned, removed: [] });
  });

  it('reads CRLF managed files and ignores text outside blocks', () => {
    const text = upsertManaged('', spec(), NONE, PATHS).text.replace(/\n/g, '\r\n');
    expect(parseManaged(`junk\r\n${text}`).map((e) => e.alias)).toEqual(['lambda-train-box']);
  });
});

describe('managedSpecOf', () => {
  const host: SshHost = {
    id: 'runpod:pod-1', label: 'My Pod', source: 'cloud', hostname: '198.51.100.3', port: 40022, user: 'root',
    identityFiles: ['/k/id_ed25519', '/k/missing'], identitiesOnly: false,
  };
  it('prefixes a cloud alias with its provider and leaves out keys that do not exist', () => {
    const s = managedSpecOf(host, (p) => p !== '/k/missing');
    expect(s).toEqual({ id: 'runpod:pod-1', aliasHint: 'runpod-My Pod', hostname: '198.51.100.3', port: 40022, user: 'root', identityFiles: ['/k/id_ed25519'], identitiesOnly: false });
    expect(upsertManaged('', s, NONE, PATHS).alias).toBe('runpod-my-pod');
  });
  it('uses the label of a settings host and keeps its jump host', () => {
    const s = managedSpecOf({ ...host, id: 'settings:me@box:22', label: 'box', source: 'settings', proxyJump: { user: 'j', hostname: 'bastion', port: 22 } }, () => true);
    expect(s.aliasHint).toBe('box');
    expect(s.proxyJump).toEqual({ user: 'j', hostname: 'bastion', port: 22 });
  });
});

describe('keepListed', () => {
  it('judges only the listed provider: its gone instances go, everything else stays', () => {
    const keep = keepListed('lambda', new Set(['lambda:a']));
    expect(['lambda:a', 'lambda:b', 'lambdax:b', 'runpod:b', 'settings:me@h:22'].filter(keep)).toEqual(['lambda:a', 'lambdax:b', 'runpod:b', 'settings:me@h:22']);
  });
});
