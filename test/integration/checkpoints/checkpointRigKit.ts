import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Writes a tree (relative path → size, mtime in seconds) under `root` on the rig's machine (the same filesystem). */
export async function writeTree(root: string, files: Record<string, { size: number; mtimeS: number }>): Promise<void> {
  for (const [rel, f] of Object.entries(files)) {
    const path = join(root, ...rel.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, Buffer.alloc(f.size, 7));
    await utimes(path, f.mtimeS, f.mtimeS);
  }
}

/** A `find` that lacks -printf, as busybox's: refuses the scan's expression, runs the real find otherwise. */
export const BUSYBOX_FIND = `#!/bin/sh
for a in "$@"; do
  if [ "$a" = "-printf" ]; then
    echo "find: unrecognized: -printf" >&2
    echo "BusyBox v1.36.1 (2023-11-07 18:53:09 UTC) multi-call binary." >&2
    exit 1
  fi
done
exec /usr/bin/find "$@"
`;

/** Names a careless scanner or a joined command line would break on. */
export const HOSTILE_NAMES = [
  'with space step_1.pt',
  `it's "quoted" step_2.pt`,
  'new\nline step_3.pt',
  '$(touch pwned) step_4.pt',
  '`id` step_5.pt',
  'ünïcødé 模型 step_6.pt',
  '-rf step_7.pt',
  '--help step_8.pt',
  'tab\there step_9.pt',
  '* step_10.pt',
];
