// @ts-check
import { unitOf } from './fields.mjs';

/** @typedef {{ header: boolean, units: boolean }} CsvFormat */

/**
 * Maps the requested names to canonical ones. The driver refuses the whole query at the first name it
 * does not know, so the caller gets that name back instead of a partial list.
 * @param {string} list the text after `--query-gpu=`
 * @param {Map<string, string>} accepted accepted name -> canonical name
 * @returns {{ ok: true, fields: string[] } | { ok: false, unknown: string }}
 */
export function resolveFields(list, accepted) {
  const requested = list.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  /** @type {string[]} */
  const fields = [];
  for (const name of requested) {
    const canonical = accepted.get(name);
    if (canonical === undefined) return { ok: false, unknown: name };
    fields.push(canonical);
  }
  return { ok: true, fields };
}

/**
 * The exact bytes of query-bogus.txt (its last line is the capture's note of the exit status).
 * @param {string} name
 * @returns {string}
 */
export function invalidFieldMessage(name) {
  return `Field "${name}" is not a valid field to query.\n\n`;
}

/**
 * @param {string[]} fields canonical names
 * @param {Map<string, string>} tracedUnits
 * @returns {string}
 */
export function headerLine(fields, tracedUnits) {
  return `${fields.map((f) => {
    const unit = unitOf(f, tracedUnits);
    return unit ? `${f} [${unit}]` : f;
  }).join(', ')}\n`;
}

/**
 * @param {string[]} fields canonical names
 * @param {(field: string) => string} valueOf value without its unit
 * @param {Map<string, string>} tracedUnits
 * @param {CsvFormat} format
 * @returns {string}
 */
export function rowLine(fields, valueOf, tracedUnits, format) {
  return `${fields.map((f) => {
    const value = valueOf(f);
    const unit = format.units ? unitOf(f, tracedUnits) : undefined;
    // `[N/A]` never carries a unit, with or without nounits.
    return unit && value !== '[N/A]' ? `${value} ${unit}` : value;
  }).join(', ')}\n`;
}
