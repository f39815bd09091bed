// @ts-check
// `npm run test:electron`: the same in-host suites as test:vscode, under desktop VS Code via @vscode/test-electron.
// It needs to download VS Code from update.code.visualstudio.com, which offline machines (like the project's own
// build box) cannot reach: there it says so and exits non-zero. It is not part of `npm test`; code-server
// (npm run test:vscode) is the always-available host for these suites. On a Linux box without a display, run it
// under xvfb-run.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkSystemParts, REPO_ROOT } from '../rig/codeServer.mjs';
import { startWorld } from '../rig/world.mjs';
import { buildExtensionAndSuites, say, SUITE_OUT } from './harness.mjs';

const VERSION = process.env.VSCODE_TEST_VERSION ?? 'stable';

/** @template T @param {Promise<T>} p @param {number} ms @param {string} what @returns {Promise<T>} */
function withTimeout(p, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  return /** @type {Promise<T>} */ (Promise.race([p, t])).finally(() => clearTimeout(timer));
}

async function main() {
  checkSystemParts({ sshd: true });
  const { downloadAndUnzipVSCode, runTests } = await import('@vscode/test-electron');
  say(`test:electron: downloading VS Code (${VERSION}) with @vscode/test-electron...`);
  /** @type {string} */
  let executable;
  try {
    executable = await withTimeout(downloadAndUnzipVSCode(VERSION), 300_000, 'the VS Code download');
  } catch (e) {
    say(
      `\ntest:electron cannot run here: downloading VS Code failed (${e instanceof Error ? e.message : String(e)}).\n` +
        '@vscode/test-electron needs https://update.code.visualstudio.com, and no desktop VS Code can be installed from apt or npm.\n' +
        'The same suites run inside code-server with: npm run test:vscode',
    );
    return { passed: 0, failed: 1 };
  }

  await buildExtensionAndSuites();
  const world = await startWorld({ full: true, gpus: 2, speedup: 20 });
  try {
    const userDataDir = path.join(world.root, 'vscode-user-data');
    mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    writeFileSync(
      path.join(userDataDir, 'User', 'settings.json'),
      JSON.stringify({ 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off', 'update.mode': 'none', ...world.settings }, null, 2),
    );
    const resultsPath = path.join(world.root, 'results.txt');
    const workspace = path.join(world.root, 'workspace');
    mkdirSync(workspace, { recursive: true });
    try {
      await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: REPO_ROOT,
        extensionTestsPath: path.join(SUITE_OUT, 'index.js'),
        extensionTestsEnv: { HOME: world.home, REMOTE_GPU_TEST_RESULTS: resultsPath, REMOTE_GPU_TEST_RIG: JSON.stringify(world.rigInfo) },
        launchArgs: [workspace, '--user-data-dir', userDataDir, '--extensions-dir', path.join(world.root, 'vscode-extensions'), '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      });
    } catch (e) {
      // runTests rejects when the tests fail; the results file has the details.
      say(`runTests: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!existsSync(resultsPath)) {
      say('test:electron: VS Code exited without a results file (the suites did not run).');
      return { passed: 0, failed: 1 };
    }
    const text = readFileSync(resultsPath, 'utf8');
    say(text.split('\n').slice(1).join('\n').trimEnd());
    /** @type {{ passed: number, failed: number }} */
    const json = JSON.parse(readFileSync(`${resultsPath}.json`, 'utf8'));
    return { passed: json.passed, failed: json.failed };
  } finally {
    await world.stop();
  }
}

let counts = { passed: 0, failed: 1 };
try {
  counts = await main();
} catch (e) {
  say(`\ntest:electron crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
}
say(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed > 0 || counts.passed === 0 ? 1 : 0);
