/**
 * find(1)-style globs (`*`, `?`, `[...]`) as regular expressions, so the SFTP walk applies exactly the filter that
 * `find -name`/`-path` applies on the remote side. As in find's -path, `*` also matches '/'.
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else out += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}

export function globMatcher(globs: readonly string[]): (s: string) => boolean {
  const res = globs.map(globToRegExp);
  return (s) => res.some((r) => r.test(s));
}
