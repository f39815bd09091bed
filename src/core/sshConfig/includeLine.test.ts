import { describe, expect, it } from 'vitest';
import { INCLUDE_COMMENT, ensureInclude, includeArgs } from './includeLine';

const P = '/home/u/.ssh/remote-gpu/config';
const TARGETS = [P, '~/.ssh/remote-gpu/config'];
const OURS = `${INCLUDE_COMMENT}\nInclude "${P}"\n`;

describe('ensureInclude', () => {
  it('creates the file content when there is no ~/.ssh/config', () => {
    expect(ensureInclude(undefined, TARGETS)).toEqual({ text: OURS, changed: true });
    expect(ensureInclude('', TARGETS)).toEqual({ text: OURS, changed: true });
  });

  it('puts the Include before the first Host block, leaving the rest as it was', () => {
    const user = '# my config\nHost box\n  HostName 10.0.0.1\n\nHost *\n  ServerAliveInterval 30\n';
    const { text, changed } = ensureInclude(user, TARGETS);
    expect(changed).toBe(true);
    expect(text).toBe(`${OURS}\n${user}`);
    const lines = text.split('\n');
    expect(lines.findIndex((l) => l.startsWith('Include'))).toBeLessThan(lines.findIndex((l) => l.startsWith('Host ')));
  });

  it('goes before Match blocks too', () => {
    const { text } = ensureInclude('Match host *.corp\n  User me\n', TARGETS);
    expect(text.indexOf('Include')).toBeLessThan(text.indexOf('Match'));
  });

  it('is idempotent: a second run returns the same text unchanged', () => {
    const once = ensureInclude('Host box\n  User me\n', TARGETS).text;
    expect(ensureInclude(once, TARGETS)).toEqual({ text: once, changed: false });
  });

  it('accepts an Include the user wrote themselves (unquoted, ~ form, among other files)', () => {
    const user = 'Include ~/.ssh/conf.d/* ~/.ssh/remote-gpu/config\nHost box\n';
    expect(ensureInclude(user, TARGETS)).toEqual({ text: user, changed: false });
  });

  it('moves an Include of ours that sits inside a Host block (where it would be scoped to that host)', () => {
    const user = `Host box\n  User me\n${OURS}`;
    const { text } = ensureInclude(user, TARGETS);
    expect(text).toBe(`${OURS}\nHost box\n  User me\n`);
    expect(text.match(/^Include/gm)).toHaveLength(1);
  });

  it('keeps CRLF line endings and a BOM', () => {
    const user = '\uFEFFHost box\r\n  User me\r\n';
    const { text } = ensureInclude(user, TARGETS);
    expect(text.startsWith('\uFEFF# Added by Remote GPU')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(text.endsWith('  User me\r\n')).toBe(true);
  });

  it('does not treat a Hostname-looking directive or a comment as a block start', () => {
    const user = '# Host in a comment\nHostKeyAlgorithms +ssh-rsa\nHost box\n';
    const { text } = ensureInclude(user, TARGETS);
    expect(text).toBe(`${OURS}\n${user}`);
  });

  it('refuses a managed path an Include line cannot hold', () => {
    expect(() => ensureInclude('', ['/home/a"b/config'])).toThrow(/Include/);
    expect(() => ensureInclude('', ['/home/x/*/config'])).toThrow(/Include/);
  });

  it('includeArgs reads quoted and = forms', () => {
    expect(includeArgs('  include = "/a b/c" d')).toEqual(['/a b/c', 'd']);
    expect(includeArgs('Includes x')).toEqual([]);
  });
});
