// @ts-check
// `npm run test:ui`: the packaged .vsix, installed into a fresh code-server, driven in Debian's Chromium through
// playwright-core like a user would: open the Remote GPU container, find the rig host, expand it to its simulated
// GPUs, open a terminal on it, answer an auto-stop warning with Keep. Screenshots go to test-results/ui-*.png.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkSystemParts, ensureCodeServer, installVsix, REPO_ROOT, startCodeServer } from '../rig/codeServer.mjs';
import { startWorld } from '../rig/world.mjs';
import { readZipText, zipEntries } from './zip.mjs';
import { collectLogs, launchChromium, RESULTS_DIR, run, say, secs, sleep } from '../vscode/harness.mjs';
import { createCheckRunner, expandRow, treeRow, waitCostRows, waitForFrame, waitNotification } from './checks.mjs';

const BUILT_VSIX = path.join(REPO_ROOT, 'dist', 'remote-gpu.vsix');
// `--vsix <file>` tests a given package (e.g. a release artifact) instead of building one.
const vsixArg = process.argv.indexOf('--vsix');
const VSIX = vsixArg > 0 && process.argv[vsixArg + 1] ? path.resolve(process.argv[vsixArg + 1] ?? '') : BUILT_VSIX;
const MAX_VSIX_BYTES = 2 * 1024 * 1024;
const GPUS = 2;
const shot = (/** @type {string} */ name) => path.join(RESULTS_DIR, `ui-${name}.png`);

const { check, runToEnd } = createCheckRunner(shot);

/** @param {import('playwright-core').Page} page @param {string} text */
async function openPalette(page, text) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${text}`);
  await page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ timeout: 10_000 });
  return input;
}

/**
 * Drags the sash right of the side bar so tree labels are not cut off in the screenshots.
 * @param {import('playwright-core').Page} page @param {number} width
 */
async function widenSidebar(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
}

/** Why an extension can be installed yet not run in code-server (whose only Node extension host is the remote one). */
function kindHint() {
  try {
    const entries = zipEntries(readFileSync(VSIX));
    if (!entries.includes('extension/package.json')) return '';
    const manifest = JSON.parse(readZipText(readFileSync(VSIX), 'extension/package.json'));
    const kind = manifest.extensionKind;
    if (Array.isArray(kind) && !kind.includes('workspace')) {
      return ` Its package.json has extensionKind ${JSON.stringify(kind)}: VS Code in a browser has no local Node extension host, so a UI-only extension is not run. ["ui", "workspace"] keeps the desktop preference and also runs here.`;
    }
  } catch {
    // no hint
  }
  return '';
}

/** Where settings-gpu's stub stop command leaves its mark. @param {{ scratchDir: string }} world */
const AUTO_STOP_MARKER = (world) => path.join(world.scratchDir, 'ui-autostop-stopped');

/**
 * Auto-stop's numbers for the UI check (a 15 s idle window, a 12 s warning) and a stub stop command for settings-gpu;
 * `remoteGpu.autoStop.enabled` stays off until the check turns it on.
 * @param {{ scratchDir: string, rigInfo: { settingsHost: string } }} world
 */
function autoStopSettings(world) {
  return {
    'remoteGpu.autoStop.sshStopCommands': { [world.rigInfo.settingsHost]: ['touch', AUTO_STOP_MARKER(world)] },
    'remoteGpu.autoStop.idleMinutes': 0.25,
    'remoteGpu.autoStop.personMinutes': 0.05,
    'remoteGpu.autoStop.warningMinutes': 0.2,
    // Budgets far above what the rig's priced host costs in a run (cents): the dashboard shows their rows, no alert fires.
    'remoteGpu.budget.dailyUsd': 50,
    'remoteGpu.budget.perProvider': { ssh: { monthlyUsd: 300 } },
  };
}

async function main() {
  const t0 = Date.now();
  checkSystemParts({ chromium: true, sshd: true });
  mkdirSync(RESULTS_DIR, { recursive: true });
  for (const f of ['tree', 'gpus', 'terminal', 'checkpoints', 'cost', 'autostop-warning', 'autostop-kept']) rmSync(shot(f), { force: true });
  const logsDir = path.join(RESULTS_DIR, 'ui');
  rmSync(logsDir, { recursive: true, force: true });

  if (VSIX === BUILT_VSIX) await check('npm run package builds dist/remote-gpu.vsix', async () => {
    rmSync(VSIX, { force: true });
    await run('npm', ['run', '--silent', 'package']);
    if (!existsSync(VSIX)) throw new Error('no dist/remote-gpu.vsix after npm run package');
    return `${(statSync(VSIX).size / 1024).toFixed(0)} KiB`;
  }, { required: true });
  const tPackage = Date.now();

  await check('the .vsix is under 2 MB and has no node_modules or .node files', async () => {
    const size = statSync(VSIX).size;
    const names = zipEntries(readFileSync(VSIX));
    writeFileSync(path.join(RESULTS_DIR, 'vsix-contents.txt'), `${size} bytes\n${names.join('\n')}\n`);
    const bad = names.filter((n) => /(^|\/)node_modules\//.test(n) || n.endsWith('.node'));
    if (bad.length > 0) throw new Error(`the .vsix contains ${bad.length} node_modules/.node entries, e.g. ${bad.slice(0, 3).join(', ')}`);
    if (size > MAX_VSIX_BYTES) throw new Error(`the .vsix is ${size} bytes, over the ${MAX_VSIX_BYTES}-byte limit`);
    if (!names.includes('extension/dist/extension.js')) throw new Error('extension/dist/extension.js is not in the .vsix');
    return `${size} bytes, ${names.length} files`;
  });

  await ensureCodeServer();
  const tInstall = Date.now();
  const world = await startWorld({ gpus: GPUS, speedup: 20 });
  /** @type {Array<() => Promise<unknown>>} */
  const cleanups = [world.stop];
  try {
    const userDataDir = path.join(world.root, 'code-server-data');
    const extensionsDir = path.join(world.root, 'code-server-extensions');
    await check('the .vsix installs into a fresh code-server', async () => {
      await installVsix(VSIX, { userDataDir, extensionsDir });
      return 'code-server --install-extension';
    }, { required: true });
    const workspace = path.join(world.root, 'workspace');
    // A training project on the rig host (loopback: its files are local): three Lightning checkpoints 10 minutes
    // apart, the newest 35 minutes old: past 3 x the cadence, so "overdue" shows whenever the simulated GPUs are busy.
    const project = path.join(world.scratchDir, 'llm run');
    const ckptDir = path.join(project, 'checkpoints');
    mkdirSync(ckptDir, { recursive: true });
    const ckptNow = Math.floor(Date.now() / 1000);
    for (const [i, step] of [1000, 2000, 3000].entries()) {
      const file = path.join(ckptDir, `epoch=${i}-step=${step}.ckpt`);
      writeFileSync(file, Buffer.alloc(64 * 1024 * (i + 1)));
      utimesSync(file, ckptNow - 55 * 60 + i * 600, ckptNow - 55 * 60 + i * 600);
    }
    const settings = { ...world.settings, 'remoteGpu.checkpoints.hostFolders': { [world.rigInfo.gpuHost]: project }, ...autoStopSettings(world) };
    const server = await startCodeServer({ home: world.home, userDataDir, extensionsDir, workspace, settings });
    cleanups.unshift(async () => collectLogs(userDataDir, logsDir), server.stop);
    const browser = await launchChromium(path.join(world.root, 'chromium'));
    cleanups.unshift(() => browser.close());
    const page = browser.pages()[0] ?? (await browser.newPage());
    /** @type {string[]} */
    const consoleLines = [];
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    cleanups.unshift(async () => {
      mkdirSync(logsDir, { recursive: true });
      writeFileSync(path.join(logsDir, 'browser-console.log'), consoleLines.join('\n') + '\n');
    });
    const tStart = Date.now();

    await check('the workbench loads', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.locator('.statusbar').waitFor({ timeout: 30_000 });
    }, { page, required: true });

    await check('the Remote GPU activity-bar container opens and shows the Instances view', async () => {
      const item = page.locator('.activitybar .action-item', { has: page.locator('[aria-label^="Remote GPU"]') }).or(page.locator('.activitybar .action-item[aria-label^="Remote GPU"]')).first();
      await item.waitFor({ timeout: 30_000 }).catch((e) => {
        throw new Error(`no "Remote GPU" icon in the activity bar: the extension did not load in code-server.${kindHint()}\n${e}`);
      });
      await item.click();
      // With one view in the container, VS Code folds the view name into the container title.
      await page.locator('.part.sidebar .title-label', { hasText: /Remote GPU/ }).first().waitFor({ timeout: 15_000 });
      await page.locator('.part.sidebar .pane-body .monaco-list-row').first().waitFor({ timeout: 15_000 });
      await widenSidebar(page, 520);
      await page.mouse.move(900, 450);
      return 'clicked the activity-bar icon';
    }, { page, required: true });

    await check('the Instances tree lists rig-gpu under SSH Hosts', async () => {
      await expandRow(page, 'SSH Hosts');
      await treeRow(page, world.rigInfo.gpuHost).waitFor({ timeout: 20_000 });
      await page.screenshot({ path: shot('tree') });
    }, { page, required: true });

    await check(`expanding rig-gpu shows its ${GPUS} simulated GPUs`, async () => {
      await expandRow(page, world.rigInfo.gpuHost);
      const gpuRows = page.locator('.pane-body .monaco-list-row', { hasText: /GPU \d+: NVIDIA H100/ });
      const deadline = Date.now() + 45_000;
      while ((await gpuRows.count()) < GPUS) {
        const error = page.locator('.pane-body .monaco-list-row', { has: page.locator('.codicon-error, .codicon-shield') });
        if ((await error.count()) > 0) throw new Error(`an error node instead of GPUs: ${await error.first().textContent()}`);
        if (Date.now() > deadline) throw new Error(`fewer than ${GPUS} GPU rows after 45 s`);
        await sleep(250);
      }
      const texts = [];
      for (const row of await gpuRows.all()) {
        const name = await row.locator('.label-name').first().textContent();
        const description = await row.locator('.label-description').first().textContent().catch(() => '');
        texts.push(`${name?.trim()} (${description?.trim()})`);
      }
      await page.screenshot({ path: shot('gpus') });
      return texts.join(' | ');
    }, { page });

    await check('"Open Terminal" from the host context menu opens a terminal on rig-gpu', async () => {
      const row = treeRow(page, world.rigInfo.gpuHost);
      await row.click({ button: 'right' });
      const item = page.locator('.monaco-menu .action-item', { hasText: 'Open Terminal' }).first();
      await item.waitFor({ timeout: 10_000 });
      // Menu items act on mouse-up after a hover, or on Enter; a synthetic click alone is not always taken.
      await item.hover();
      await page.keyboard.press('Enter');
      const tab = page.locator('.terminal-tabs-entry, .single-terminal-tab, .panel .composite-title', { hasText: world.rigInfo.gpuHost }).first();
      await tab.waitFor({ timeout: 20_000 });
      // Prove the shell is live: type into it and watch the file appear (the rig's sshd runs on this machine).
      const marker = path.join(world.scratchDir, 'ui-terminal');
      await page.locator('.terminal-wrapper.active .xterm, .terminal .xterm').first().click();
      await sleep(1000);
      await page.keyboard.type(`echo ok-from-ui > ${marker}; nvidia-smi -L\n`, { delay: 5 });
      const deadline = Date.now() + 20_000;
      while (!existsSync(marker) && Date.now() < deadline) await sleep(200);
      await sleep(1000);
      await page.screenshot({ path: shot('terminal') });
      if (!existsSync(marker)) throw new Error('typing in the terminal did not run a command on the host');
      return 'terminal tab shown, typed command ran on the host';
    }, { page });

    await check('"Open GPU Dashboard" shows live per-GPU numbers that change as the simulator replays the training trace', async () => {
      await page.keyboard.press('Escape');
      const row = treeRow(page, world.rigInfo.gpuHost);
      await row.click({ button: 'right' });
      const item = page.locator('.monaco-menu .action-item', { hasText: 'Open GPU Dashboard' }).first();
      await item.waitFor({ timeout: 10_000 });
      await item.hover();
      await page.keyboard.press('Enter');
      await page.locator('.tab', { hasText: `GPUs: ${world.rigInfo.gpuHost}` }).first().waitFor({ timeout: 20_000 });
      // Webviews are nested iframes: find the frame that holds the dashboard's GPU cards.
      const frame = await waitForFrame(page, async (f) => (await f.locator('.gpu-card').count()) >= GPUS, 45_000);
      const readCards = async () => (await frame.locator('.gpu-card').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()).join(' || ');
      const first = await readCards();
      if (!/NVIDIA H100/.test(first)) throw new Error(`no GPU name in the cards: ${first.slice(0, 300)}`);
      // The simulator runs at 20x: within a few seconds the readings (power, utilisation, clocks) move.
      const deadline = Date.now() + 30_000;
      let later = first;
      while (later === first && Date.now() < deadline) {
        await sleep(1000);
        later = await readCards();
      }
      await sleep(1500);
      await page.screenshot({ path: shot('dashboard') });
      if (later === first) throw new Error(`the dashboard numbers did not change in 30 s: ${first.slice(0, 300)}`);
      const xssRendered = await frame.locator('img').count();
      if (xssRendered > 0) throw new Error(`the dashboard contains ${xssRendered} <img> elements; untrusted text must render as text`);
      return `${GPUS} GPU cards, numbers changed: ${later.slice(0, 160)}`;
    }, { page });

    await check('the dashboard\'s Checkpoints section shows the newest checkpoint of the rig project, its cadence, and Download Latest', async () => {
      const frame = await waitForFrame(page, async (f) => (await f.locator('.checkpoints .ckpt-newest dd').count()) > 0, 45_000);
      const section = frame.locator('section.checkpoints');
      await section.scrollIntoViewIfNeeded();
      const newest = (await frame.locator('.ckpt-newest dd').allTextContents()).map((t) => t.trim());
      if (newest[0] !== 'checkpoints/epoch=2-step=3000.ckpt' || newest[1] !== '3000') throw new Error(`newest checkpoint shown as ${newest.join(' | ')}`);
      const rows = await frame.locator('.ckpt-recent tbody tr').count();
      if (rows !== 3) throw new Error(`${rows} recent rows, expected 3`);
      const download = frame.locator('.ckpt-download');
      if ((await download.getAttribute('disabled')) !== null) throw new Error('Download Latest is disabled with a checkpoint to download');
      // Overdue needs busy GPUs at that moment, and the replayed trace has quiet stretches: wait a little for it,
      // but only report it (the rule itself is unit-tested with a virtual clock).
      const overdueLine = frame.locator('.ckpt-overdue');
      const until = Date.now() + 20_000;
      while (!(await overdueLine.isVisible()) && Date.now() < until) await sleep(500);
      const overdue = (await overdueLine.isVisible()) ? await overdueLine.textContent() : 'not overdue';
      await page.screenshot({ path: shot('checkpoints') });
      return `${newest.join(' | ')}; ${overdue}`;
    }, { page });

    await check('the dashboard\'s Cost and auto-stop section shows the counters and a row per budget', async () => {
      const frame = await waitForFrame(page, async (f) => (await f.locator('section.cost .cost-counters dt').count()) > 0, 45_000);
      const want = ['Today', 'This month', 'Projected month', 'Burn rate', 'Daily budget', 'Monthly budget (SSH hosts)'];
      const rows = await waitCostRows(frame, want, 30_000);
      await page.screenshot({ path: shot('cost') });
      const missing = want.filter((w) => !rows.has(w));
      if (missing.length > 0) throw new Error(`cost rows ${[...rows.keys()].join(' | ')}; missing ${missing.join(', ')}`);
      if (!/ of \$50\.00 \(\d+ %\)/.test(rows.get('Daily budget') ?? '')) throw new Error(`daily budget row reads "${rows.get('Daily budget')}"`);
      return [...rows].map(([l, v]) => `${l}: ${v}`).join(' | ');
    }, { page });

    await check('the palette lists "Remote GPU: Open Terminal"', async () => {
      await page.keyboard.press('Escape');
      await openPalette(page, 'Remote GPU: Open Terminal');
      const label = await page.locator('.quick-input-widget .monaco-list-row').first().textContent();
      await page.keyboard.press('Escape');
      if (!label?.includes('Open Terminal')) throw new Error(`first palette row is "${label}"`);
    }, { page });
    await check('auto-stop: quiet GPUs on settings-gpu (15 s window) raise the warning notification; its "Keep 30 min" button keeps the host past its stop time', async () => {
      // The short window and settings-gpu's stub stop command (it leaves a file) are in the settings from the start,
      // inert while auto-stop is off; it is turned on only now, in the Settings editor, so the earlier checks see no
      // auto-stop toasts. rig-gpu and rig-included have no stop command, so only settings-gpu is watched.
      const host = world.rigInfo.settingsHost;
      const search = page.locator('.settings-editor .settings-header .search-container').first();
      // Ctrl+, opens the Settings editor (a keypress can be lost while the palette of the check before is closing).
      for (let tries = 0; tries < 3 && !(await search.isVisible()); tries++) {
        await sleep(500);
        await page.keyboard.press('Control+Comma');
        await search.waitFor({ timeout: 5_000 }).catch(() => undefined);
      }
      await search.waitFor({ timeout: 5_000 });
      await search.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('@id:remoteGpu.autoStop.enabled', { delay: 5 });
      // The row of this setting only: rows of the list shown before the search can still be in the DOM, hidden.
      const row = page.locator('.settings-editor .setting-item-bool:visible', { hasText: 'Auto Stop: Enabled' }).first();
      const box = row.locator('.setting-value-checkbox');
      await box.waitFor({ timeout: 15_000 });
      // The list re-renders while the search settles, and a click on a row being replaced is lost: click until it holds.
      for (let tries = 0; tries < 5 && (await box.getAttribute('aria-checked')) !== 'true'; tries++) {
        await sleep(500);
        await box.click();
        await sleep(500);
      }
      await row.locator('.setting-value-checkbox[aria-checked="true"]').waitFor({ timeout: 5_000 });
      try {
        // The rig's GPUs at 0 % with the job's memory still held (test/rig/nvidia-smi README, NVIDIA_SMI_SIM_CONTROL).
        writeFileSync(world.rigInfo.gpuSimControl, 'idle\n');
        // A toast where the workbench shows one; this headless window often gets none, and then the notification
        // centre lists the same notification with the same buttons.
        const item = await waitNotification(page, new RegExp(`${host} will be stopped in \\d+ s\\.`), 90_000);
        const where = (await page.locator('.notification-toast').filter({ has: item }).count()) > 0 ? 'toast' : 'notification centre';
        const text = ((await item.locator('.notification-list-item-message').first().textContent()) ?? '').trim();
        const left = Number(/will be stopped in (\d+) s\./.exec(text)?.[1] ?? NaN);
        if (!Number.isFinite(left) || !/Idle: GPUs under 5 % for \d+ s/.test(text)) throw new Error(`the warning does not explain the GPU signal: ${text}`);
        // Not before the stop time the warning gave (the notification was read a little after it was shown).
        const stopAt = Date.now() + left * 1000;
        const countdown = page.locator('.statusbar-item', { hasText: `${host} stops in` }).first();
        await countdown.waitFor({ timeout: 5_000 });
        await page.screenshot({ path: shot('autostop-warning') });
        await item.locator('.monaco-button', { hasText: 'Keep 30 min' }).first().click();
        await item.waitFor({ state: 'hidden', timeout: 10_000 });
        await countdown.waitFor({ state: 'hidden', timeout: 10_000 });
        // Past the time the warning gave, the stub stop has not run: the keep holds.
        await sleep(Math.max(0, stopAt + 3_000 - Date.now()));
        await page.screenshot({ path: shot('autostop-kept') });
        if (existsSync(AUTO_STOP_MARKER(world))) throw new Error('the stop command ran although Keep 30 min was clicked');
        return `${where}: "${text.slice(0, 140)}"; countdown gone, not stopped ${secs(Date.now() - stopAt)} after the stop time`;
      } finally {
        // Everything on the rig replays the trace again, whatever happened.
        writeFileSync(world.rigInfo.gpuSimControl, 'trace\n');
      }
    }, { page });
    say(`times: package ${secs(tPackage - t0)}, code-server install/check ${secs(tInstall - tPackage)}, browser checks ${secs(Date.now() - tStart)}, total ${secs(Date.now() - t0)}`);
  } finally {
    for (const fn of cleanups) await fn().catch((e) => say(`cleanup: ${e}`));
  }
}

await runToEnd('test:ui', main, () => ['tree', 'gpus', 'terminal', 'dashboard', 'checkpoints', 'cost', 'autostop-warning', 'autostop-kept'].map((f) => shot(f)).filter((f) => existsSync(f)).map((f) => path.relative(REPO_ROOT, f)).join(', '));
