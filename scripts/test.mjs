// @ts-check
// `npm test`: every test layer in order, each step's pass/fail counts summed, one closing line `N passed, N failed`.
// A step that crashes, times out or exits non-zero without reporting a failure counts as failed: nothing is skipped.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = path.join(ROOT, 'test-results');
const MIN = 60_000;

/**
 * @typedef {object} Step
 * @property {string} name
 * @property {string} cmd
 * @property {string[]} args
 * @property {number} timeoutMs
 * @property {(out: string, code: number | null) => { passed: number, failed: number, note?: string }} count
 */

/** A command that is one check: it passes when it exits 0. */
function exitCode(/** @type {string} */ _out, /** @type {number | null} */ code) {
  return code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1, note: `exit ${code}` };
}

/** The last `N passed, N failed` line a runner printed. */
function closingLine(/** @type {string} */ out, /** @type {number | null} */ code) {
  const matches = [...out.matchAll(/^(\d+) passed, (\d+) failed\s*$/gm)];
  const last = matches.at(-1);
  if (!last) return { passed: 0, failed: 1, note: `no "N passed, N failed" line (exit ${code})` };
  const counts = { passed: Number(last[1]), failed: Number(last[2]) };
  if (code !== 0 && counts.failed === 0) return { ...counts, failed: 1, note: `exit ${code} with no failed test` };
  return counts;
}

/** @param {string} project */
function vitestStep(project) {
  const json = path.join(RESULTS, `vitest-${project}.json`);
  /** @type {Step} */
  const step = {
    name: `vitest ${project}`,
    cmd: 'npx',
    args: ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`],
    timeoutMs: 15 * MIN,
    count(_out, code) {
      if (!existsSync(json)) return { passed: 0, failed: 1, note: `vitest wrote no JSON report (exit ${code})` };
      /** @type {{ numPassedTests: number, numFailedTests: number, numTotalTests: number, testResults?: Array<{ status: string, name: string, assertionResults?: Array<{ status: string }> }> }} */
      const r = JSON.parse(readFileSync(json, 'utf8'));
      // A test file that fails to load has no failed assertion of its own; count it, or it would vanish.
      const brokenFiles = (r.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
      const counts = { passed: r.numPassedTests, failed: r.numFailedTests + brokenFiles };
      if (r.numTotalTests === 0) return { ...counts, failed: counts.failed + 1, note: 'no tests found' };
      if (code !== 0 && counts.failed === 0) return { ...counts, failed: 1, note: `exit ${code} with no failed test` };
      return brokenFiles ? { ...counts, note: `${brokenFiles} file(s) failed to load` } : counts;
    },
  };
  return step;
}

/** @type {Step[]} */
const steps = [
  { name: 'lint', cmd: 'npm', args: ['run', '--silent', 'lint'], timeoutMs: 10 * MIN, count: exitCode },
  { name: 'typecheck', cmd: 'npm', args: ['run', '--silent', 'typecheck'], timeoutMs: 10 * MIN, count: exitCode },
  vitestStep('unit'),
  vitestStep('rig'),
  // test:vscode installs code-server on first use (about 4 minutes on 2 cores), hence the long limit.
  { name: 'vscode (code-server)', cmd: 'npm', args: ['run', '--silent', 'test:vscode'], timeoutMs: 25 * MIN, count: closingLine },
  { name: 'ui (Chromium)', cmd: 'npm', args: ['run', '--silent', 'test:ui'], timeoutMs: 15 * MIN, count: closingLine },
  { name: 'provision (Chromium)', cmd: 'npm', args: ['run', '--silent', 'test:provision'], timeoutMs: 15 * MIN, count: closingLine },
  { name: 'ui zh-CN (Chromium)', cmd: 'npm', args: ['run', '--silent', 'test:ui-zh-cn'], timeoutMs: 15 * MIN, count: closingLine },
];

/** @type {import('node:child_process').ChildProcess | undefined} */
let current;
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(sig, () => {
    if (current?.pid) killGroup(current.pid);
    process.exit(130);
  });
}

/** @param {number} pid */
function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

/**
 * Runs one step in its own process group, echoing its output live and keeping a copy to count from.
 * @param {Step} step
 * @returns {Promise<{ out: string, code: number | null, timedOut: boolean, error?: string }>}
 */
function runStep(step) {
  return new Promise((resolve) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let timedOut = false;
    const child = spawn(step.cmd, step.args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    current = child;
    const onData = (/** @type {Buffer} */ b) => {
      chunks.push(b);
      process.stdout.write(b);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) killGroup(child.pid);
    }, step.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ out: Buffer.concat(chunks).toString('utf8'), code: null, timedOut, error: e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ out: Buffer.concat(chunks).toString('utf8'), code, timedOut });
    });
  });
}

const ESC = String.fromCharCode(27);
const stripAnsi = (/** @type {string} */ s) => s.split(ESC).map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;]*[A-Za-z]/, ''))).join('');

rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });
/** @type {Array<{ name: string, passed: number, failed: number, secs: number, note: string }>} */
const rows = [];
for (const step of steps) {
  process.stdout.write(`\n━━━ ${step.name}: ${step.cmd} ${step.args.join(' ')}\n`);
  const started = Date.now();
  const r = await runStep(step);
  const secs = (Date.now() - started) / 1000;
  /** @type {{ passed: number, failed: number, note?: string }} */
  let counts;
  if (r.error) counts = { passed: 0, failed: 1, note: `could not start: ${r.error}` };
  else if (r.timedOut) counts = { ...step.count(stripAnsi(r.out), r.code), note: `timed out after ${step.timeoutMs / MIN} min` };
  else {
    try {
      counts = step.count(stripAnsi(r.out), r.code);
    } catch (e) {
      counts = { passed: 0, failed: 1, note: `could not read its results: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  if (r.timedOut && counts.failed === 0) counts.failed = 1;
  rows.push({ name: step.name, passed: counts.passed, failed: counts.failed, secs, note: counts.note ?? '' });
}

const total = rows.reduce((a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed }), { passed: 0, failed: 0 });
const w = Math.max(...rows.map((r) => r.name.length), 4);
const lines = [
  '',
  `${'step'.padEnd(w)}  passed  failed  seconds  note`,
  ...rows.map((r) => `${r.name.padEnd(w)}  ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${r.secs.toFixed(1).padStart(7)}  ${r.failed ? r.note || 'FAILED' : r.note}`),
  `${'total'.padEnd(w)}  ${String(total.passed).padStart(6)}  ${String(total.failed).padStart(6)}  ${rows.reduce((a, r) => a + r.secs, 0).toFixed(1).padStart(7)}`,
  '',
  `${total.passed} passed, ${total.failed} failed`,
];
process.stdout.write(lines.join('\n') + '\n');
process.exitCode = total.failed > 0 ? 1 : 0;
