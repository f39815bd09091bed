import type { Logger } from '../logger';
import type { AccrualInput } from './accrual';
import { accrualEntries } from './accrual';
import { CostBook } from './costBook';
import type { CostSummary } from './counters';
import { summarize } from './counters';
import { parseLedger, serializeEntry } from './ledgerEntry';
import type { LedgerStore, WriterLease } from './ledgerPorts';

export type LedgerRole = 'writer' | 'reader';

/**
 * The ledger as every window sees it. `tick` reads what anyone appended, then, if this window holds (or can take)
 * the lease, appends the accrual since the last line. The book is only ever fed from the file, own lines included,
 * so the file is the single truth and a restart rebuilds exactly the same totals.
 */
export class CostLedger {
  readonly book = new CostBook();
  private held = false;
  private badLines = 0;

  constructor(
    private readonly store: LedgerStore,
    private readonly lease: WriterLease,
    private readonly log: Logger,
  ) {}

  get role(): LedgerRole {
    return this.held ? 'writer' : 'reader';
  }

  /** Reads new lines into the book. */
  async sync(): Promise<void> {
    const lines = await this.store.readNewLines();
    if (lines.length === 0) return;
    const parsed = parseLedger(`${lines.join('\n')}\n`);
    if (parsed.badLines > 0) {
      this.badLines += parsed.badLines;
      this.log.warn(`cost ledger: skipped ${parsed.badLines} unreadable line(s) (${this.badLines} in all), e.g. a write torn by a crash`);
    }
    this.book.add(parsed.entries);
  }

  async tick(input: Omit<AccrualInput, 'writer'>): Promise<LedgerRole> {
    await this.sync();
    const wasHeld = this.held;
    this.held = this.held ? await this.lease.renew() : await this.lease.tryAcquire();
    if (this.held !== wasHeld) this.log.info(`cost ledger: this window is now the ${this.role}`);
    if (!this.held) return 'reader';
    // Read again after taking the lease: the previous holder's last lines must be in the book before we continue.
    if (!wasHeld) await this.sync();
    const lines = accrualEntries(this.book, { ...input, writer: this.lease.id });
    if (lines.length > 0) {
      await this.store.append(lines.map((l) => serializeEntry(l).slice(0, -1)));
      await this.sync();
    }
    return 'writer';
  }

  summary(now: number, offsetMinutes: number): CostSummary {
    return summarize(this.book, now, offsetMinutes);
  }

  async dispose(): Promise<void> {
    if (this.held) await this.lease.release();
    this.held = false;
  }
}
