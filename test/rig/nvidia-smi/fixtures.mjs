// @ts-check
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the real captures are read from; NVIDIA_SMI_SIM_FIXTURES lets a copy of the rig run away from this tree. */
export function fixtureDir() {
  return process.env.NVIDIA_SMI_SIM_FIXTURES || join(here, '..', '..', 'fixtures', 'nvidia-smi', 'h100-driver580');
}

/**
 * @param {string} name file name inside the capture folder
 * @returns {string}
 */
export function readFixture(name) {
  return readFileSync(join(fixtureDir(), name), 'utf8');
}

/**
 * Splits a capture produced with `--format=csv` into header cells and rows; the driver separates with ", ".
 * @param {string} text
 * @returns {{ header: string[], rows: string[][] }}
 */
export function parseCsv(text) {
  const lines = text.split('\n').filter((line) => line.length > 0);
  const [head = '', ...rest] = lines;
  return { header: head.split(', '), rows: rest.map((line) => line.split(', ')) };
}

/**
 * Splits a header cell such as `memory.used [MiB]` into the field name and its unit.
 * @param {string} cell
 * @returns {{ name: string, unit: string | undefined }}
 */
export function splitHeaderCell(cell) {
  const match = /^(.*?) \[(.+)\]$/.exec(cell);
  return match ? { name: match[1] ?? cell, unit: match[2] } : { name: cell, unit: undefined };
}
