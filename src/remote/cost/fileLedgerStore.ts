import { open } from 'node:fs/promises';
import type { LedgerStore } from '../../core/cost/ledgerPorts';

/**
 * The ledger file: JSON lines, opened in append mode for each write (O_APPEND puts every write at the current end,
 * also with another process appending) and synced before returning. Reads keep a byte offset and stop at the last
 * newline, so a line being written right now, or torn by a crash, is never parsed half.
 */
export class FileLedgerStore implements LedgerStore {
  private offset = 0;

  constructor(private readonly path: string) {}

  async readNewLines(): Promise<string[]> {
    let fh;
    try {
      fh = await open(this.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    try {
      const { size } = await fh.stat();
      if (size <= this.offset) return [];
      const buf = Buffer.alloc(size - this.offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, this.offset);
      const end = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (end < 0) return [];
      this.offset += end + 1;
      return buf.subarray(0, end).toString('utf8').split('\n');
    } finally {
      await fh.close();
    }
  }

  async append(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    const fh = await open(this.path, 'a+');
    try {
      const { size } = await fh.stat();
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, size - 1);
        // A crashed writer left a line without its newline: end it, so it stays one bad line and ours stay whole.
        if (last[0] !== 0x0a) prefix = '\n';
      }
      await fh.write(`${prefix}${lines.join('\n')}\n`);
      await fh.datasync();
    } finally {
      await fh.close();
    }
  }
}
