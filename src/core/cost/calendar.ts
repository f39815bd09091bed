/**
 * Days and months in the user's zone, given as a fixed offset from UTC in minutes (the caller passes the local
 * offset). The core has no time-zone database; a DST change mid-month moves a boundary by an hour, which a cost
 * report can live with.
 */
const DAY = 86_400_000;

export function dayStart(t: number, offsetMinutes: number): number {
  const off = offsetMinutes * 60_000;
  return Math.floor((t + off) / DAY) * DAY - off;
}

export function monthStart(t: number, offsetMinutes: number): number {
  const off = offsetMinutes * 60_000;
  const d = new Date(t + off);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - off;
}

export function nextMonthStart(t: number, offsetMinutes: number): number {
  const off = offsetMinutes * 60_000;
  const d = new Date(t + off);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - off;
}

/** YYYY-MM-DD of the local day containing t. */
export function dayLabel(t: number, offsetMinutes: number): string {
  return new Date(dayStart(t, offsetMinutes) + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

export const DAY_MS = DAY;
