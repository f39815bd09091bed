import { z } from 'zod';

/**
 * One line of the cost ledger (JSON lines, append-only). It says: instance `key` billed `rate` micro-dollars per
 * hour over [from, to), and bills `rateAfter` from `to` on until the next line says otherwise. Cost is derived from
 * these, never stored, so overlapping lines can be clipped without any total going wrong.
 */
export const ledgerEntrySchema = z.object({
  v: z.literal(1),
  key: z.string().min(1).max(400),
  /** ProviderId, or 'ssh' for a plain SSH host. */
  provider: z.string().min(1).max(40),
  name: z.string().max(400),
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  rate: z.number().int().nonnegative(),
  rateAfter: z.number().int().nonnegative(),
  /** Which window wrote it (its lease id), for diagnosing a takeover. */
  writer: z.string().max(100),
});

export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export interface ParsedLedger {
  readonly entries: LedgerEntry[];
  /** Lines that were not entries (a torn write from a crash, a hand edit): skipped, counted for the log. */
  readonly badLines: number;
  /** Characters consumed: everything up to the last newline. A line without its newline is not read yet. */
  readonly consumed: number;
}

/** Reads complete lines only; a torn or garbled line is skipped, never fatal. */
export function parseLedger(text: string): ParsedLedger {
  const end = text.lastIndexOf('\n') + 1;
  const entries: LedgerEntry[] = [];
  let badLines = 0;
  for (const line of text.slice(0, end).split('\n')) {
    if (line.trim() === '') continue;
    const entry = parseLine(line);
    if (entry) entries.push(entry);
    else badLines += 1;
  }
  return { entries, badLines, consumed: end };
}

function parseLine(line: string): LedgerEntry | undefined {
  try {
    const result = ledgerEntrySchema.safeParse(JSON.parse(line));
    return result.success && result.data.to >= result.data.from ? result.data : undefined;
  } catch {
    return undefined;
  }
}

export function serializeEntry(entry: LedgerEntry): string {
  return `${JSON.stringify(entry)}\n`;
}
