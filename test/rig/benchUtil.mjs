// @ts-check
/**
 * Small helpers for benchmarks against the rigs: CPU time of a process tree from /proc (Linux), percentiles and
 * markdown tables. Node built-ins only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway HOME for rig sessions (pass it as `env.HOME` to startSshd): sessions then never run the machine's own
 * ~/.bashrc, whose tools (pyenv init) cost CPU that would be counted against the GPU host and take locks that a
 * killed session leaves behind. Removed when the process exits.
 */
export const RIG_HOME = mkdtempSync(join(tmpdir(), 'remote-gpu-bench-home-'));
process.on('exit', () => rmSync(RIG_HOME, { recursive: true, force: true }));

let ticks = 0;

/** Kernel clock ticks per second (USER_HZ), the unit of utime/stime in /proc/<pid>/stat. */
export function clockTicksPerSecond() {
  if (ticks === 0) ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticks;
}

/**
 * @typedef {{ pid: number, ppid: number, ticks: number }} ProcCpu
 * `ticks` = utime + stime + cutime + cstime: the process's own CPU plus that of the children it has reaped.
 */

/** @returns {ProcCpu[]} */
function readProcTable() {
  /** @type {ProcCpu[]} */
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // The command name (field 2) may hold spaces and parentheses: fields after the last ')' are fixed.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const num = (/** @type {number} */ i) => Number(rest[i] ?? 0);
    // rest[0] is field 3 (state): ppid = field 4, utime..cstime = fields 14..17.
    out.push({ pid: Number(name), ppid: num(1), ticks: num(11) + num(12) + num(13) + num(14) });
  }
  return out;
}

/**
 * CPU seconds used so far by `rootPid` and every live descendant, including children they already reaped. A
 * session that ended was reaped by its parent (sshd's listener), so its CPU is counted too. Orphans re-parented to
 * init are lost, which only under-counts the side that spawns (the naive one).
 * @param {number | undefined} rootPid
 */
export function treeCpuSeconds(rootPid) {
  if (rootPid === undefined) return 0;
  const table = readProcTable();
  /** @type {Map<number, ProcCpu[]>} */
  const children = new Map();
  for (const p of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  let total = 0;
  const stack = table.filter((p) => p.pid === rootPid);
  while (stack.length > 0) {
    const p = /** @type {ProcCpu} */ (stack.pop());
    total += p.ticks;
    stack.push(...(children.get(p.pid) ?? []));
  }
  return total / clockTicksPerSecond();
}

/**
 * @param {number[]} values
 * @param {number} p 0..100
 */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return /** @type {number} */ (sorted[rank]);
}

/**
 * @param {string[]} headers
 * @param {(string | number)[][]} rows
 */
export function markdownTable(headers, rows) {
  const line = (/** @type {(string | number)[]} */ cells) => `| ${cells.map(String).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
