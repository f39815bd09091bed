// @ts-check
import { formatAscTime } from './clock.mjs';
import { gpuValue } from './fields.mjs';
import { readFixture } from './fixtures.mjs';

/** @typedef {import('./fields.mjs').GpuContext} GpuContext */
/** @typedef {{ gpuIndex: number, pid: string, name: string, usedMiB: string }} ProcessRow */

/**
 * The captured idle table supplies the fixed parts verbatim; only the GPU rows and the process rows are
 * generated, with the real column widths.
 * @returns {{ head: string[], gpuRule: string, processHead: string[], none: string, foot: string }}
 */
function capturedFrame() {
  const lines = readFixture('smi-default.txt').split('\n');
  const at = (/** @type {number} */ i) => lines[i] ?? '';
  const processStart = lines.findIndex((line) => line.startsWith('| Processes:'));
  return {
    head: lines.slice(1, 8),
    gpuRule: at(11),
    processHead: lines.slice(processStart - 2, processStart + 4),
    none: at(processStart + 4),
    foot: at(processStart + 5),
  };
}

/**
 * @param {GpuContext} c
 * @returns {string[]}
 */
function gpuRows(c) {
  const v = (/** @type {string} */ name) => gpuValue(name, c);
  const fan = v('fan.speed') === '[N/A]' ? 'N/A' : `${v('fan.speed')}%`.padStart(3);
  // The table shows whole watts, cut rather than rounded (the capture reads 121W against 121.69 W).
  const watts = (/** @type {string} */ name) => `${Math.trunc(Number(v(name)))}W`;
  const persistence = v('persistence_mode') === 'Enabled' ? 'On' : 'Off';
  const display = v('display_active') === 'Enabled' ? 'On' : 'Off';
  const first = [
    ` ${String(c.gpu.index).padStart(3)}  ${c.gpu.name.padEnd(29)}${persistence.padStart(4)}  `,
    `${c.gpu.busId.padStart(19)} ${display.padStart(3)} `,
    `${v('ecc.errors.uncorrected.volatile.total').padStart(21)} `,
  ];
  const second = [
    ` ${fan}${`${v('temperature.gpu')}C`.padStart(6)}${v('pstate').padStart(6)}${watts('power.draw').padStart(16)} / ${watts('power.limit').padStart(5)} `,
    `${`${v('memory.used')}MiB`.padStart(11)} / ${`${v('memory.total')}MiB`.padStart(9)} `,
    `${`${v('utilization.gpu')}%`.padStart(8)}${v('compute_mode').padStart(13)} `,
  ];
  const third = [' '.repeat(41), ' '.repeat(24), `${v('mig.mode.current').padStart(21)} `];
  return [first, second, third].map((cells) => `|${cells.join('|')}|`);
}

/**
 * @param {ProcessRow} p
 * @returns {string}
 */
function processLine(p) {
  const memory = `${p.usedMiB}MiB`;
  // Name and memory share 46 columns; a long name loses its head, as the driver does.
  const room = 46 - memory.length - 1;
  const name = p.name.length > room ? `...${p.name.slice(p.name.length - room + 3)}` : p.name;
  return `|${String(p.gpuIndex).padStart(5)}   N/A  N/A${p.pid.padStart(16)}      C   ${name}${memory.padStart(46 - name.length)} |`;
}

/**
 * The plain `nvidia-smi` report.
 * @param {GpuContext[]} gpus
 * @param {ProcessRow[]} processes
 * @param {number} nowMs
 * @returns {string}
 */
export function renderTable(gpus, processes, nowMs) {
  const frame = capturedFrame();
  const lines = [`${formatAscTime(nowMs)}       `, ...frame.head];
  gpus.forEach((gpu) => lines.push(...gpuRows(gpu), frame.gpuRule));
  lines.push(...frame.processHead);
  lines.push(...(processes.length === 0 ? [frame.none] : processes.map(processLine)));
  lines.push(frame.foot);
  return `${lines.join('\n')}\n`;
}

/**
 * `nvidia-smi -L`.
 * @param {GpuContext[]} gpus
 * @returns {string}
 */
export function renderList(gpus) {
  return gpus.map((c) => `GPU ${c.gpu.index}: ${c.gpu.name} (UUID: ${c.gpu.uuid})\n`).join('');
}
