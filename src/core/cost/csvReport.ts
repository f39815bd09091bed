import { DAY_MS, dayLabel, dayStart } from './calendar';
import type { CostBook } from './costBook';
import { costWithin } from './counters';

/**
 * One field per RFC 4180: quoted when it holds a comma, quote, CR or LF, quotes doubled. Text that a spreadsheet
 * would run as a formula (= + - @, tab, CR first) gets a leading apostrophe: instance names come from providers and
 * users, so they are hostile until proven otherwise.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Exact decimal dollars from integer micro-dollars, no float rounding. */
export function microsToDecimal(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  return `${sign}${Math.floor(abs / 1_000_000)}.${String(abs % 1_000_000).padStart(6, '0')}`;
}

const HEADER = ['date', 'provider', 'instance', 'instance_id', 'billed_hours', 'cost_usd'];

/** The Export Cost Report CSV: one row per instance and local day with a cost, oldest first; CRLF line ends. */
export function costReportCsv(book: CostBook, now: number, offsetMinutes: number): string {
  const rows = new Map<string, { day: number; key: string; ms: number; micros: number }>();
  for (const s of book.segmentsUntil(now)) {
    for (let day = dayStart(s.from, offsetMinutes); day < s.to; day += DAY_MS) {
      const ms = Math.min(s.to, day + DAY_MS) - Math.max(s.from, day);
      if (ms <= 0) continue;
      const id = `${day}\u0000${s.key}`;
      const row = rows.get(id) ?? { day, key: s.key, ms: 0, micros: 0 };
      rows.set(id, { ...row, ms: row.ms + ms, micros: row.micros + costWithin(s, day, day + DAY_MS) });
    }
  }
  const lines = [HEADER.join(',')];
  const sorted = [...rows.values()].sort((a, b) => a.day - b.day || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const r of sorted) {
    const inst = book.instance(r.key);
    const fields = [dayLabel(r.day, offsetMinutes), inst?.provider ?? '', inst?.name ?? '', r.key, (r.ms / 3_600_000).toFixed(4), microsToDecimal(r.micros)];
    lines.push(fields.map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
