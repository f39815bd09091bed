import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shJoin, shQuote } from './shellQuote';

const HOSTILE: readonly [string, string][] = [
  ['command substitution', '$(rm -rf ~)'],
  ['backticks', '`rm -rf ~`'],
  ['single quotes', "it's 'quoted'"],
  ['a lone single quote', "'"],
  ['double quotes', 'say "hi" ""'],
  ['newlines', 'a\nb\n\nc\n'],
  ['carriage return and tab', 'a\r\tb'],
  ['operators', 'a;b|c&d&&e||f>g<h>>i 2>&1'],
  ['globs', '* ? [a-z] **/*.py'],
  ['tilde and braces', '~ ~root {a,b} {1..3}'],
  ['variables', '$HOME ${PATH} $1 $@ $$ $?'],
  ['backslashes', '\\ \\\\ \\n \\$'],
  ['leading dash', '-rf'],
  ['double dash', '--'],
  ['history bang', '!! !$ !-1'],
  ['hash', '#not a comment'],
  ['spaces', '  two  spaces  '],
  ['empty string', ''],
  ['assignment shape', 'PATH=/tmp/evil'],
  ['unicode', 'héllo wörld ✓ 日本語 ünïcødé'],
  ['emoji', '🚀🔥 GPU 🧠'],
  ['control bytes', '\x01\x1b[31mred\x1b[0m\x7f'],
];

/** Runs printf through a real shell, the way the remote side parses our command line. */
function throughShell(shell: string, argv: readonly string[]): string {
  return execFileSync(shell, ['-c', shJoin(['printf', '%s\\0', ...argv])], { encoding: 'utf8' });
}

const SHELLS = ['/bin/sh', '/bin/bash', '/bin/dash'].filter((s) => existsSync(s));

describe('shQuote', () => {
  it.each(HOSTILE)('quotes %s so no shell character stays active', (_name, arg) => {
    const q = shQuote(arg);
    // Either a plain safe word, or one single-quoted string whose only escapes are '\''
    expect(q === arg ? /^[A-Za-z0-9_@%+=:,./-]+$/.test(q) : /^'([^']|'\\'')*'$/.test(q)).toBe(true);
  });

  it('leaves safe words readable', () => {
    expect(shJoin(['nvidia-smi', '--query-gpu=name,memory.used', '--format=csv,noheader', '/tmp/a.b', 'user@host:22'])).toBe(
      'nvidia-smi --query-gpu=name,memory.used --format=csv,noheader /tmp/a.b user@host:22',
    );
  });

  it('quotes the empty string as an argument of its own', () => {
    expect(shQuote('')).toBe("''");
    expect(shJoin(['a', '', 'b'])).toBe("a '' b");
  });

  it('quotes a word that would be a variable assignment in command position only', () => {
    expect(shJoin(['FOO=bar', 'x'])).toBe("'FOO=bar' x");
    expect(shJoin(['ssh', '-o', 'IdentitiesOnly=yes'])).toBe('ssh -o IdentitiesOnly=yes');
    expect(shQuote('--opt=value')).toBe('--opt=value');
  });

  it('refuses NUL instead of truncating', () => {
    expect(() => shQuote('a\0b')).toThrow(TypeError);
    expect(() => shJoin(['ok', 'bad\0'])).toThrow(TypeError);
  });

  it('refuses an empty argv', () => {
    expect(() => shJoin([])).toThrow(TypeError);
  });
});

describe.each(SHELLS)('round trip through %s', (shell) => {
  it.each(HOSTILE)('%s arrives byte-exact', (_name, arg) => {
    expect(throughShell(shell, [arg])).toBe(`${arg}\0`);
  });

  it('keeps every argument separate', () => {
    const args = HOSTILE.map(([, a]) => a);
    expect(throughShell(shell, args).split('\0').slice(0, -1)).toEqual(args);
  });

  it('runs an assignment-shaped argv[0] as a command, not as an assignment', () => {
    // Unquoted, "X=1 printf ok" would run printf; quoted, the shell looks for a program named "X=1" and fails.
    expect(() => execFileSync(shell, ['-c', shJoin(['X=1', 'printf', 'ran'])], { encoding: 'utf8', stdio: 'pipe' })).toThrow();
  });
});
