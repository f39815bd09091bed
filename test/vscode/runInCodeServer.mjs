// @ts-check
// `npm run test:vscode`: the mocha suites in test/vscode/suite run inside code-server's Node extension host with the
// real `vscode` API, loaded through the `payload` URL (extensionDevelopmentPath + extensionTestsPath), which is the
// test-electron contract. Pass/fail is read from the results file the suite index writes (tooling.md section 2.5).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkSystemParts, ensureCodeServer, REPO_ROOT, startCodeServer, tail } from '../rig/codeServer.mjs';
import { startWorld } from '../rig/world.mjs';
import { buildExtensionAndSuites, collectLogs, launchChromium, RESULTS_DIR, say, secs, sleep, SUITE_OUT } from './harness.mjs';

const RESULTS_TIMEOUT_MS = Number(process.env.REMOTE_GPU_TEST_TIMEOUT_MS ?? 300_000);
const keep = process.argv.includes('--keep');

/** @type {Array<() => Promise<unknown>>} */
const cleanups = [];
async function cleanup() {
  for (const fn of cleanups.reverse()) await fn().catch((e) => say(`cleanup: ${e}`));
  cleanups.length = 0;
}
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(sig, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

async function main() {
  const t0 = Date.now();
  checkSystemParts({ chromium: true, sshd: true });
  const outDir = path.join(RESULTS_DIR, 'vscode');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  await buildExtensionAndSuites();
  const tBuild = Date.now();
  await ensureCodeServer();
  const tInstall = Date.now();

  const world = await startWorld({ full: true, gpus: 2, speedup: 20, keep });
  cleanups.push(world.stop);
  const userDataDir = path.join(world.root, 'code-server-data');
  const resultsPath = path.join(world.root, 'results.txt');
  const server = await startCodeServer({
    home: world.home,
    userDataDir,
    extensionsDir: path.join(world.root, 'code-server-extensions'),
    workspace: path.join(world.root, 'workspace'),
    settings: world.settings,
  });
  cleanups.push(async () => collectLogs(userDataDir, path.join(outDir, 'logs')));
  cleanups.push(server.stop);
  say(`code-server ${server.url} (HOME=${world.home})`);

  const browser = await launchChromium(path.join(world.root, 'chromium'));
  cleanups.push(() => browser.close());
  await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = browser.pages()[0] ?? (await browser.newPage());
  /** @type {string[]} */
  const consoleLines = [];
  const testsModule = path.join(SUITE_OUT, 'index.js');
  /** @type {string | undefined} */
  let loadError;
  page.on('console', (m) => {
    const text = m.text();
    consoleLines.push(`[${m.type()}] ${text}`);
    // The host logs it when it cannot load the tests module at all; no results file would ever come.
    if (m.type() === 'error' && text.includes(testsModule) && /Cannot find module|SyntaxError|is not a function/.test(text)) loadError ??= text;
  });
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  cleanups.push(async () => writeFileSync(path.join(outDir, 'browser-console.log'), consoleLines.join('\n') + '\n'));

  const authority = new URL(server.url).host;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${authority}${REPO_ROOT.replace(/\/$/, '')}`],
    ['extensionTestsPath', `vscode-remote://${authority}${testsModule}`],
    // REMOTE_GPU_SUITES=cost,tree runs only those suite files (activation always runs): for a quick check of one area.
    ['extensionEnvironment', JSON.stringify({ REMOTE_GPU_TEST_RESULTS: resultsPath, REMOTE_GPU_TEST_RIG: JSON.stringify(world.rigInfo), REMOTE_GPU_SUITES: process.env.REMOTE_GPU_SUITES ?? '' })],
  ];
  const workspace = path.join(world.root, 'workspace');
  const tStart = Date.now();
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);

  const deadline = Date.now() + RESULTS_TIMEOUT_MS;
  while (!existsSync(resultsPath)) {
    if (loadError) {
      say(`\nThe extension host could not load the suites:\n${loadError.split('\n').slice(0, 8).join('\n')}`);
      return { passed: 0, failed: 1 };
    }
    if (Date.now() > deadline) {
      await page.screenshot({ path: path.join(outDir, 'timeout.png') }).catch(() => undefined);
      say(`\nTIMEOUT: no results file after ${secs(RESULTS_TIMEOUT_MS)}; the suites never finished (or never started).`);
      say(`--- code-server log (tail) ---\n${tail(server.logPath, 30)}`);
      say(`--- browser console (tail) ---\n${consoleLines.slice(-30).join('\n')}`);
      say(`logs: ${path.relative(REPO_ROOT, outDir)}/`);
      return { passed: 0, failed: 1 };
    }
    await sleep(250);
  }
  const tDone = Date.now();
  const text = readFileSync(resultsPath, 'utf8');
  writeFileSync(path.join(outDir, 'results.txt'), text);
  /** @type {{ passed: number, failed: number, metrics?: { activation?: { alreadyActive?: boolean, activateCallMs?: number, activatedInMs?: number } } }} */
  const json = JSON.parse(readFileSync(`${resultsPath}.json`, 'utf8'));
  say('\n' + text.split('\n').slice(1).join('\n').trimEnd());
  const act = json.metrics?.activation;
  if (act) {
    say(
      `\nactivation: ext.activate() took ${act.activateCallMs} ms${act.alreadyActive ? ' (the extension was already active)' : ''}; ` +
        `activate() reported ${act.activatedInMs ?? '?'} ms`,
    );
  } else say('\nactivation: not measured (the activation test did not run)');
  say(`times: build ${secs(tBuild - t0)}, code-server install/check ${secs(tInstall - tBuild)}, suites in browser ${secs(tDone - tStart)}, total ${secs(tDone - t0)}`);
  if (json.failed > 0) say(`logs: ${path.relative(REPO_ROOT, outDir)}/`);
  return { passed: json.passed, failed: json.failed };
}

let counts = { passed: 0, failed: 1 };
try {
  counts = await main();
} catch (e) {
  say(`\ntest:vscode crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
} finally {
  await cleanup();
}
say(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed > 0 || counts.passed === 0 ? 1 : 0);
