import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CostLedger } from '../../core/cost/costLedger';
import type { LedgerRole } from '../../core/cost/costLedger';
import { costReportCsv } from '../../core/cost/csvReport';
import type { Logger } from '../../core/logger';
import type { Micros } from '../../core/providers/money';
import type { CloudProvider } from '../../core/providers/provider';
import type { Clock } from '../../core/providers/time';
import { CostTracker } from '../../core/services/cost/costTracker';
import { FileLease } from './fileLease';
import { FileLedgerStore } from './fileLedgerStore';

export const LEDGER_FILE = 'cost-ledger.jsonl';
const LEASE_FILE = 'cost-ledger.lease';
const LEASE_TTL_MS = 60_000;

/** The ledger in a storage dir (the extension's global storage), as the file store + lease pair every window shares. */
export function openCostLedger(storageDir: string, logger: Logger): CostLedger {
  return new CostLedger(new FileLedgerStore(join(storageDir, LEDGER_FILE)), new FileLease({ path: join(storageDir, LEASE_FILE), ttlMs: LEASE_TTL_MS }), logger);
}

export interface CostReportDeps {
  readonly storageDir: string;
  readonly providers: () => Promise<readonly CloudProvider[]>;
  /** SSH hosts the user gave a price (the `pricePerHour` of a settings host); free ones leave no lines. */
  readonly sshHosts?: () => Promise<readonly { readonly id: string; readonly label: string; readonly microsPerHour: Micros }[]>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The user's offset from UTC in minutes, for day boundaries. */
  readonly offsetMinutes: number;
  readonly signal?: AbortSignal;
}

export interface CostReport {
  readonly csv: string;
  /** Rows without the header. */
  readonly rows: number;
  readonly totalMicros: Micros;
  /** Whether this call could write (it held the lease) or only read what another window wrote. */
  readonly role: LedgerRole;
}

/**
 * Export Cost Report: one accrual round (so instances running now are counted up to now, from their launch time),
 * then the CSV of the whole ledger. The lease is held only for the round.
 */
export async function buildCostReport(d: CostReportDeps): Promise<CostReport> {
  await mkdir(d.storageDir, { recursive: true });
  const ledger = openCostLedger(d.storageDir, d.logger);
  try {
    const hosts = (await d.sshHosts?.()) ?? [];
    const tracker = new CostTracker(ledger, { providers: d.providers, sshHosts: () => hosts, stoppedDiskMicrosPerHour: () => undefined }, d.clock, d.logger);
    const role = await tracker.tick(d.signal);
    const now = d.clock.now();
    const csv = costReportCsv(ledger.book, now, d.offsetMinutes);
    const totalMicros = ledger.book.allInstances().reduce((sum, i) => sum + ledger.book.totalFor(i.key, now), 0);
    return { csv, rows: csv.split('\r\n').length - 2, totalMicros, role };
  } finally {
    await ledger.dispose();
  }
}
