// @ts-check
import { parseCsv, readFixture, splitHeaderCell } from './fixtures.mjs';

/** @typedef {{ offsetMs: number, values: Map<string, string> }} TraceRow */
/**
 * @typedef {object} Trace
 * @property {Map<string, string>} gpuUnits unit of each traced --query-gpu field, from the capture's header
 * @property {Map<string, string>} appUnits unit of each traced --query-compute-apps field
 * @property {TraceRow[]} gpuRows
 * @property {TraceRow[]} appRows
 * @property {number} durationMs length of one pass, after which the replay starts over
 */

/** trace-apps.csv was taken with `-l 1`: a row stands for the second that follows it. */
const APP_ROW_HOLD_MS = 1_100;

/**
 * The capture's timestamps are only used for their differences, so reading them as UTC is harmless.
 * @param {string} stamp `YYYY/MM/DD HH:MM:SS.mmm`
 * @returns {number}
 */
function stampToMs(stamp) {
  const iso = stamp.replace(/^(\d{4})\/(\d{2})\/(\d{2}) /, '$1-$2-$3T') + 'Z';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`unreadable capture timestamp: ${stamp}`);
  return ms;
}

/**
 * Values are kept without units so one sample serves both `csv` and `csv,nounits`.
 * @param {string} text
 * @returns {{ units: Map<string, string>, stamped: { ms: number, values: Map<string, string> }[] }}
 */
function readCapture(text) {
  const { header, rows } = parseCsv(text);
  const cells = header.map(splitHeaderCell);
  /** @type {Map<string, string>} */
  const units = new Map();
  for (const { name, unit } of cells) if (unit) units.set(name, unit);
  const stamped = rows.map((row) => {
    /** @type {Map<string, string>} */
    const values = new Map();
    cells.forEach(({ name, unit }, i) => {
      const value = row[i] ?? '[N/A]';
      values.set(name, unit && value.endsWith(` ${unit}`) ? value.slice(0, -unit.length - 1) : value);
    });
    return { ms: stampToMs(values.get('timestamp') ?? ''), values };
  });
  return { units, stamped };
}

/** @returns {Trace} */
export function loadTrace() {
  const gpu = readCapture(readFixture('trace-gpu.csv'));
  const apps = readCapture(readFixture('trace-apps.csv'));
  const first = gpu.stamped[0];
  const last = gpu.stamped[gpu.stamped.length - 1];
  if (!first || !last) throw new Error('trace-gpu.csv has no samples');
  const originMs = first.ms;
  // One sampling interval past the last sample, so the loop seam is as long as any other step.
  const stepMs = gpu.stamped.length > 1 ? (last.ms - originMs) / (gpu.stamped.length - 1) : 500;
  const toRow = (/** @type {{ ms: number, values: Map<string, string> }} */ s) => ({ offsetMs: s.ms - originMs, values: s.values });
  return {
    gpuUnits: gpu.units,
    appUnits: apps.units,
    gpuRows: gpu.stamped.map(toRow),
    appRows: apps.stamped.map(toRow),
    durationMs: last.ms - originMs + stepMs,
  };
}

/**
 * @param {TraceRow[]} rows sorted by offset
 * @param {number} positionMs
 * @returns {TraceRow | undefined} the last row at or before the position
 */
function rowAtOrBefore(rows, positionMs) {
  let lo = 0;
  let hi = rows.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((rows[mid]?.offsetMs ?? Infinity) <= positionMs) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found >= 0 ? rows[found] : undefined;
}

/**
 * @param {Trace} trace
 * @param {number} positionMs
 * @returns {Map<string, string>}
 */
export function gpuSampleAt(trace, positionMs) {
  const row = rowAtOrBefore(trace.gpuRows, positionMs) ?? trace.gpuRows[0];
  return row ? row.values : new Map();
}

/**
 * @param {Trace} trace
 * @param {number} positionMs
 * @returns {Map<string, string> | undefined} the compute process alive at that moment, if any
 */
export function appSampleAt(trace, positionMs) {
  const row = rowAtOrBefore(trace.appRows, positionMs);
  return row && positionMs - row.offsetMs < APP_ROW_HOLD_MS ? row.values : undefined;
}
