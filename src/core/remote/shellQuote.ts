/**
 * The one quoting helper. Every argument that reaches a remote shell goes through here; nothing builds a command line
 * by joining strings with spaces.
 *
 * POSIX single quotes make every byte literal except the single quote itself, which we close, escape and reopen
 * ('\''). NUL cannot be carried by any shell argument, so it is refused rather than silently truncated.
 */
export function shQuote(arg: string): string {
  if (arg.includes('\0')) throw new TypeError('A shell argument cannot contain a NUL byte.');
  // Words made only of safe characters stay readable in logs and in "Copy SSH Command".
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return singleQuoted(arg);
}

function singleQuoted(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Joins an argv into one line for `sh -c`, each element quoted. */
export function shJoin(argv: readonly string[]): string {
  if (argv.length === 0) throw new TypeError('An empty argv is not a command.');
  const [first = '', ...rest] = argv;
  // In command position an unquoted NAME=value is a variable assignment, not the program to run: always quote it there.
  const head = shQuote(first);
  return [head === first && /^[A-Za-z_][A-Za-z0-9_]*=/.test(first) ? singleQuoted(first) : head, ...rest.map(shQuote)].join(' ');
}
