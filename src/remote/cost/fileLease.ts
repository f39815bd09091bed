import { randomUUID } from 'node:crypto';
import { open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { WriterLease } from '../../core/cost/ledgerPorts';

interface LeaseContent {
  readonly id: string;
  readonly pid: number;
  readonly expiresAt: number;
}

export interface FileLeaseOptions {
  readonly path: string;
  /** How long a lease lasts without renewal; the holder renews well inside it. */
  readonly ttlMs: number;
  readonly now?: () => number;
  readonly pid?: number;
  /** Whether a process is alive (a lease whose process died is taken over at once). */
  readonly isAlive?: (pid: number) => boolean;
}

/**
 * A lease file created with O_EXCL ('wx'), holding pid + expiry. A lease that expired or whose process is dead is
 * taken over by whoever first creates the takeover lock (also O_EXCL), so two windows cannot both replace it. The
 * ledger's fold clips overlaps anyway, so even a lost race cannot double count; the lease keeps the file tidy.
 */
export class FileLease implements WriterLease {
  readonly id = randomUUID();
  private readonly now: () => number;
  private readonly pid: number;
  private readonly isAlive: (pid: number) => boolean;

  constructor(private readonly o: FileLeaseOptions) {
    this.now = o.now ?? Date.now;
    this.pid = o.pid ?? process.pid;
    this.isAlive = o.isAlive ?? processAlive;
  }

  async tryAcquire(): Promise<boolean> {
    if (await this.create()) return true;
    const current = await this.read();
    if (current && current.id === this.id) return true;
    if (current && current.expiresAt > this.now() && this.isAlive(current.pid)) return false;
    return this.takeOver(current);
  }

  async renew(): Promise<boolean> {
    const current = await this.read();
    if (!current || current.id !== this.id) return false;
    // Replace by rename, so a reader never sees a half-written lease.
    const tmp = `${this.o.path}.${this.id}.tmp`;
    await writeFile(tmp, this.content());
    await rename(tmp, this.o.path);
    return true;
  }

  async release(): Promise<void> {
    const current = await this.read();
    if (current?.id === this.id) await unlink(this.o.path).catch(() => undefined);
  }

  private content(): string {
    const c: LeaseContent = { id: this.id, pid: this.pid, expiresAt: this.now() + this.o.ttlMs };
    return JSON.stringify(c);
  }

  private async create(): Promise<boolean> {
    try {
      const fh = await open(this.o.path, 'wx');
      try {
        await fh.writeFile(this.content());
      } finally {
        await fh.close();
      }
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  }

  private async takeOver(stale: LeaseContent | undefined): Promise<boolean> {
    const lock = `${this.o.path}.takeover`;
    let fh;
    try {
      fh = await open(lock, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A takeover lock left by a window that died mid-takeover is cleared after a while; this round is lost.
      const age = await stat(lock).then((s) => this.now() - s.mtimeMs, () => 0);
      if (age > this.o.ttlMs) await unlink(lock).catch(() => undefined);
      return false;
    }
    try {
      await fh.close();
      const again = await this.read();
      // Someone renewed or replaced it meanwhile: not stale any more.
      if (JSON.stringify(again) !== JSON.stringify(stale)) return false;
      await unlink(this.o.path).catch(() => undefined);
      return await this.create();
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }

  private async read(): Promise<LeaseContent | undefined> {
    try {
      const v = JSON.parse(await readFile(this.o.path, 'utf8')) as Partial<LeaseContent>;
      if (typeof v.id === 'string' && typeof v.pid === 'number' && typeof v.expiresAt === 'number') return { id: v.id, pid: v.pid, expiresAt: v.expiresAt };
      return undefined;
    } catch {
      return undefined; // missing, or half-written by a crashed create: stale
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else; only ESRCH means gone.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
