// Mocha runner loaded by the extension host through `extensionTestsPath` (code-server payload or @vscode/test-electron).
// Pass/fail comes from the results file it writes, never from the host's exit code (the host exits 0 either way).
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as mochaModule from 'mocha';
import type MochaType from 'mocha';
import { METRICS_KEY, RESULTS_ENV } from './env';

type MochaCtor = typeof MochaType;

interface Failure {
  readonly title: string;
  readonly error: string;
}

function mochaClass(): MochaCtor {
  // Depending on Node's CJS/ESM interop, require('mocha') is the class or a namespace with it as default.
  const m: unknown = mochaModule;
  if (typeof m === 'function') return m as MochaCtor;
  return (m as { default: MochaCtor }).default;
}

/** Activation first (it measures a cold activate()), then the rest by name. */
function testFiles(dir: string): string[] {
  const only = (process.env.REMOTE_GPU_SUITES ?? '').split(',').filter(Boolean);
  const picked = (f: string) => only.length === 0 || f.startsWith('activation') || only.some((name) => f === `${name}.test.js`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.test.js') && picked(f));
  files.sort((a, b) => Number(b.startsWith('activation')) - Number(a.startsWith('activation')) || a.localeCompare(b));
  return files.map((f) => path.join(dir, f));
}

function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

export function run(): Promise<void> {
  const resultsPath = process.env[RESULTS_ENV];
  const Mocha = mochaClass();
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const file of testFiles(__dirname)) mocha.addFile(file);
  const lines: string[] = [];
  const failures: Failure[] = [];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let runner: Mocha.Runner;
    try {
      runner = mocha.run(finish);
    } catch (e) {
      // A suite that throws while loading (before any test runs) must still produce a results file.
      failures.push({ title: 'loading the test files', error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
      finish(1, { passes: 0, failures: 1, pending: 0 });
      return;
    }
    function finish(failed: number, statsOverride?: { passes: number; failures: number; pending: number }): void {
      const stats = statsOverride ?? runner.stats ?? { passes: 0, failures: failed, pending: 0 };
      const summary = `${stats.passes} passed, ${stats.failures} failed`;
      const metrics = (globalThis as Record<string, unknown>)[METRICS_KEY] ?? {};
      const details = failures.map((f, i) => `${i + 1}) ${f.title}\n${f.error}`).join('\n\n');
      if (resultsPath) {
        writeAtomically(`${resultsPath}.json`, JSON.stringify({ passed: stats.passes, failed: stats.failures, pending: stats.pending, ms: Date.now() - started, lines, failures, metrics }, null, 2));
        writeAtomically(resultsPath, `${summary}\n${lines.join('\n')}\n${details ? `\nFailures:\n${details}\n` : ''}`);
      }
      if (failed > 0) reject(new Error(`${failed} tests failed.`));
      else resolve();
    }
    runner.on('suite', (s) => {
      if (s.title) lines.push(`${'  '.repeat(depth(s))}${s.title}`);
    });
    runner.on('pass', (t) => lines.push(`${'  '.repeat(depth(t))}✔ ${t.title} (${t.duration ?? 0} ms)`));
    runner.on('pending', (t) => lines.push(`${'  '.repeat(depth(t))}- ${t.title} (pending)`));
    runner.on('fail', (t, err: unknown) => {
      lines.push(`${'  '.repeat(depth(t))}✘ ${t.title}`);
      const e = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
      failures.push({ title: t.fullTitle(), error: e });
    });
  });
}

function depth(node: { parent?: { parent?: unknown; title?: string } | undefined }): number {
  let d = 0;
  let p = node.parent as { parent?: unknown } | undefined;
  while (p && p.parent) {
    d++;
    p = p.parent as { parent?: unknown };
  }
  return d;
}
