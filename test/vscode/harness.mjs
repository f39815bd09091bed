// @ts-check
// Shared by the test runners: building the extension and the suite bundle, launching Debian's Chromium, small helpers.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../rig/codeServer.mjs';

export const SUITE_OUT = path.join(REPO_ROOT, 'out', 'test', 'vscode', 'suite');
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** @param {string} msg */
export function say(msg) {
  process.stdout.write(`${msg}\n`);
}

/**
 * Runs a command with inherited output; rejects on a non-zero exit.
 * @param {string} cmd @param {string[]} args @param {{ env?: NodeJS.ProcessEnv }} [opts]
 */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: opts.env ?? process.env });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve(undefined) : reject(new Error(`${cmd} ${args.join(' ')} failed (${code ?? signal})`))));
  });
}

/** `npm run build` (dist/extension.js), then the mocha suites as CJS bundles next to each other in out/. */
export async function buildExtensionAndSuites() {
  await run('npm', ['run', '--silent', 'build']);
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) throw new Error('npm run build did not produce dist/extension.js');
  const { build } = await import('esbuild');
  const suiteDir = path.join(REPO_ROOT, 'test', 'vscode', 'suite');
  const entryPoints = readdirSync(suiteDir)
    .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
    .map((f) => path.join(suiteDir, f));
  const started = Date.now();
  await build({
    entryPoints,
    outdir: SUITE_OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // mocha loads reporters and files dynamically: it stays a real module, resolved from the repo's node_modules.
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  say(`suites: ${entryPoints.length} bundles in ${path.relative(REPO_ROOT, SUITE_OUT)} (${Date.now() - started} ms)`);
}

/**
 * Launches Debian's Chromium through playwright-core (no browser download).
 * @param {string} userDataDir
 */
export async function launchChromium(userDataDir) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing. Install it with:\n  apt-get install -y --no-install-recommends chromium`);
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: CHROMIUM_ARGS,
  });
}

/**
 * Copies code-server's logs (server, extension host, the extension's output channel) into test-results/ for CI.
 * @param {string} userDataDir @param {string} dest
 */
export function collectLogs(userDataDir, dest) {
  mkdirSync(dest, { recursive: true });
  /** @type {string[]} */
  const copied = [];
  /** @param {string} dir */
  const walk = (dir) => {
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.log')) {
        const flat = path.relative(userDataDir, p).replace(/[\\/]/g, '__').replace(/[^\w.-]/g, '_');
        copyFileSync(p, path.join(dest, flat));
        copied.push(flat);
      }
    }
  };
  walk(userDataDir);
  return copied;
}

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** @param {number} ms */
export function secs(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
