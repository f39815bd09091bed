/** A parsed cell: a value, "no value" (undefined), or a reason the text is not what the field holds. */
export type CellResult<T> = { readonly ok: true; readonly value: T | undefined } | { readonly ok: false; readonly why: string };

// nvidia-smi prints these (bracketed, and bare in some versions and columns) for values it cannot read. Any other
// bracketed text is one of its status words too ("[GPU requires reset]"), so every bracketed cell means "no value".
const BARE_NO_VALUE = new Set(['N/A', 'Not Supported', 'Unknown Error', 'Insufficient Permissions', 'Not Available', '']);

/** True for `[N/A]`, `[Not Supported]`, `[Unknown Error]`, `[Insufficient Permissions]`, `N/A`, an empty cell... */
export function isNoValue(cell: string): boolean {
  return BARE_NO_VALUE.has(cell) || (cell.startsWith('[') && cell.endsWith(']'));
}

// `nounits` should leave units off, but tolerate them: `--format=csv` prints "0 %", "81559 MiB", "69.92 W", "345 MHz".
const NUMBER = /^([+-]?\d+(?:\.\d+)?)(?:\s*(?:%|MiB|GiB|KiB|MB|GB|W|mW|MHz|GHz|C|°C|us|ms|s))?$/;

export function parseNumberCell(cell: string): CellResult<number> {
  if (isNoValue(cell)) return { ok: true, value: undefined };
  const match = NUMBER.exec(cell);
  const value = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  return Number.isFinite(value) ? { ok: true, value } : { ok: false, why: 'not a number' };
}

const HEX = /^0x([0-9a-fA-F]{1,16})$/;

/** `0x0000000000000001` → 1. Known bits are all low; a mask beyond 2^53 would lose only unknown high bits. */
export function parseHexCell(cell: string): CellResult<number> {
  if (isNoValue(cell)) return { ok: true, value: undefined };
  const match = HEX.exec(cell);
  return match?.[1] === undefined ? { ok: false, why: 'not a hex bitmask' } : { ok: true, value: Number.parseInt(match[1], 16) };
}

export function parseStringCell(cell: string): CellResult<string> {
  return { ok: true, value: isNoValue(cell) ? undefined : cell };
}

/** Splits a CSV row from nvidia-smi (", "-separated, no quoting) into trimmed cells. */
export function splitCells(line: string): string[] {
  return line.split(',').map((c) => c.trim());
}

/**
 * True when `cells` is a `--format=csv` header: its first cell, less any ` [unit]`, is one of the names the first
 * requested field goes by. Only the first cell is compared because the driver renames the others in headers
 * (`clocks.sm` → `clocks.current.sm [MHz]`, `clocks_throttle_reasons.active` → `clocks_event_reasons.active`).
 */
export function isHeaderRow(cells: readonly string[], firstFieldNames: readonly string[]): boolean {
  const first = (cells[0] ?? '').replace(/\s*\[[^\]]*\]$/, '');
  return firstFieldNames.includes(first);
}

/** A line cut to a loggable length, for parse-failure reports. */
export function excerpt(line: string): string {
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
