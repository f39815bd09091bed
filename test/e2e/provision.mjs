// @ts-check
// `npm run test:provision`: the packaged .vsix in a fresh code-server, driven in Chromium like a user: set the Lambda
// API key, run "Provision..." from the Lambda Cloud node through every step (filters, offers, image, SSH key, name,
// confirmation) against the fake Lambda API, wait through the progress until SSH answers on the OpenSSH rig, see
// the new instance in the tree with its simulated GPUs, and terminate it. A screenshot per step goes to
// test-results/provision-*.png.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkSystemParts, ensureCodeServer, installVsix, REPO_ROOT, startCodeServer } from '../rig/codeServer.mjs';
import { startWorld } from '../rig/world.mjs';
import { collectLogs, launchChromium, RESULTS_DIR, run, say, secs, sleep } from '../vscode/harness.mjs';
import { createCheckRunner, expandRow, runCommand, treeRow, waitForFrame, waitNotification } from './checks.mjs';

const VSIX = path.join(REPO_ROOT, 'dist', 'remote-gpu.vsix');
const GPUS = 2;
const NAME = 'e2e-a10';
const shot = (/** @type {string} */ name) => path.join(RESULTS_DIR, `provision-${name}.png`);

const { check, runToEnd } = createCheckRunner(shot);

/** @param {import('playwright-core').Page} page */
const quickInput = (page) => page.locator('.quick-input-widget');

/** Waits for the quick input to show `title` text somewhere (title bar, prompt or rows). @param {import('playwright-core').Page} page @param {RegExp} text */
async function waitQuickInput(page, text) {
  await quickInput(page).filter({ hasText: text }).first().waitFor({ state: 'visible', timeout: 20_000 });
}

/**
 * Types into the quick input and presses Enter on the first row that matches, the way a keyboard user picks.
 * @param {import('playwright-core').Page} page @param {string} filter @param {RegExp} row
 */
async function pickRow(page, filter, row) {
  const input = quickInput(page).locator('input').first();
  await input.fill(filter);
  const match = quickInput(page).locator('.monaco-list-row', { hasText: row }).first();
  await match.waitFor({ timeout: 10_000 });
  await match.click();
}

/** Types into the open input box once it shows `prompt`, then Enter. @param {import('playwright-core').Page} page @param {string} prompt @param {string} value */
async function answerInput(page, prompt, value) {
  await quickInput(page).filter({ hasText: prompt }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await quickInput(page).locator('input').first().fill(value);
  await page.keyboard.press('Enter');
}

/**
 * Reads the header (host, state badge, error) of the dashboard showing `name` every 250 ms until stopped, keeping
 * every distinct text: a "Cancelled." that shows for a second between two live readings is caught too.
 * @param {import('playwright-core').Page} page @param {string} name
 */
function watchDashboardHeader(page, name) {
  /** @type {Set<string>} */
  const seen = new Set();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (const f of page.frames()) {
        const header = f.locator('header.header');
        if (!(await header.count().catch(() => 0))) continue;
        const text = ((await header.first().textContent().catch(() => '')) ?? '').replace(/\s+/g, ' ').trim();
        if (text.includes(name)) seen.add(text);
      }
      await sleep(250);
    }
  })();
  return {
    seen,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/** The fake instances answer SSH as the rig's user with the rig's client key: put that key where a user's key lives. */
function giveHomeTheRigKey(/** @type {string} */ home, /** @type {string} */ clientKeyPath) {
  const sshDir = path.join(home, '.ssh');
  mkdirSync(sshDir, { recursive: true });
  copyFileSync(clientKeyPath, path.join(sshDir, 'id_ed25519'));
  copyFileSync(`${clientKeyPath}.pub`, path.join(sshDir, 'id_ed25519.pub'));
  chmodSync(path.join(sshDir, 'id_ed25519'), 0o600);
}

async function main() {
  const t0 = Date.now();
  checkSystemParts({ chromium: true, sshd: true });
  mkdirSync(RESULTS_DIR, { recursive: true });
  for (const f of readdirSync(RESULTS_DIR).filter((n) => n.startsWith('provision-') && n.endsWith('.png'))) rmSync(path.join(RESULTS_DIR, f));
  const logsDir = path.join(RESULTS_DIR, 'provision');
  rmSync(logsDir, { recursive: true, force: true });

  await check('npm run package builds dist/remote-gpu.vsix', async () => {
    rmSync(VSIX, { force: true });
    await run('npm', ['run', '--silent', 'package']);
    if (!existsSync(VSIX)) throw new Error('no dist/remote-gpu.vsix after npm run package');
    return `${(statSync(VSIX).size / 1024).toFixed(0)} KiB`;
  }, { required: true });
  await ensureCodeServer();
  const world = await startWorld({ gpus: GPUS, speedup: 20, cloudBootMs: 3_000 });
  /** @type {Array<() => Promise<unknown>>} */
  const cleanups = [world.stop];
  try {
    const lambdaKey = world.cloud?.lambdaKey;
    if (!lambdaKey) throw new Error('the test world started no fake Lambda (test/rig/cloudFakes.mjs)');
    giveHomeTheRigKey(world.home, world.gpuRig.clientKeyPath);
    const userDataDir = path.join(world.root, 'code-server-data');
    const extensionsDir = path.join(world.root, 'code-server-extensions');
    await installVsix(VSIX, { userDataDir, extensionsDir });
    const workspace = path.join(world.root, 'workspace');
    const server = await startCodeServer({ home: world.home, userDataDir, extensionsDir, workspace, settings: world.settings });
    cleanups.unshift(async () => collectLogs(userDataDir, logsDir), server.stop);
    const browser = await launchChromium(path.join(world.root, 'chromium'));
    cleanups.unshift(() => browser.close());
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.setViewportSize({ width: 1400, height: 900 }).catch(() => undefined);
    const tStart = Date.now();
    /** @type {ReturnType<typeof watchDashboardHeader> | undefined} */
    let dashboardHeader;

    await check('the workbench loads and the Remote GPU view opens', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      const item = page.locator('.activitybar .action-item', { has: page.locator('[aria-label^="Remote GPU"]') }).or(page.locator('.activitybar .action-item[aria-label^="Remote GPU"]')).first();
      await item.click({ timeout: 30_000 });
      await page.locator('.part.sidebar .pane-body .monaco-list-row').first().waitFor({ timeout: 15_000 });
    }, { page, required: true });

    await check('Set API Key... stores the fake Lambda key; the Lambda Cloud node offers Provision...', async () => {
      await runCommand(page, 'Remote GPU: Set API Key...');
      await pickRow(page, 'Lambda', /Lambda Cloud/);
      await quickInput(page).locator('input[type="password"]').first().waitFor({ timeout: 10_000 });
      await page.keyboard.type(lambdaKey);
      await page.keyboard.press('Enter');
      const row = await expandRow(page, 'Lambda Cloud', 30_000);
      await treeRow(page, world.cloud?.lambdaInstance ?? 'demo').waitFor({ timeout: 30_000 });
      await row.hover();
      await row.locator('.action-label[aria-label^="Provision"]').first().waitFor({ timeout: 10_000 });
      await page.screenshot({ path: shot('1-tree') });
    }, { page, required: true });

    await check('Recommend a GPU...: 13B LoRA in BF16 gives the estimate by parts and the fake Lambda offers that hold it', async () => {
      await runCommand(page, 'Remote GPU: Recommend a GPU...');
      await pickRow(page, '', /Enter the size in billions of parameters/);
      await answerInput(page, 'Model size: billions of parameters', '13');
      await pickRow(page, '', /LoRA fine-tuning/);
      await pickRow(page, 'BF16', /BF16/);
      await answerInput(page, 'Batch size per GPU', '4');
      await answerInput(page, 'Sequence length in tokens', '2048');
      await pickRow(page, '', /recompute activations/);
      await waitQuickInput(page, /fits on one GPU/);
      await page.mouse.move(1200, 800); // no hover tooltip over the rows
      await sleep(500);
      const text = (await quickInput(page).locator('.monaco-list-row').allTextContents()).map((r) => r.replace(/\s+/g, ' ').trim()).join(' | ');
      await page.screenshot({ path: shot('advisor') });
      await page.keyboard.press('Escape');
      // 13B in 16 bits: 26 GB of weights; the ~35 GB estimate fits an 80 GB H100.
      const missing = ['weights 26.0 GB', 'LoRA adapters', 'activations', 'H100'].filter((w) => !text.includes(w));
      if (missing.length > 0) throw new Error(`not in the advisor's list: ${missing.join(', ')}; rows: ${text.slice(0, 600)}`);
      return text.slice(0, 200);
    }, { page });

    await check('Provision... from the Lambda Cloud node: filter menu, GPU model A10, offers cheapest first', async () => {
      const row = treeRow(page, 'Lambda Cloud');
      await row.hover();
      await row.locator('.action-label[aria-label^="Provision"]').first().click();
      await waitQuickInput(page, /Show \d+ offers?/);
      await page.screenshot({ path: shot('2-filters') });
      await pickRow(page, 'GPU model', /GPU model/);
      await pickRow(page, 'A10', /A10/);
      await waitQuickInput(page, /Show 2 offers/);
      await pickRow(page, 'Show', /Show 2 offers/);
      await waitQuickInput(page, /\$0\.86\/h/);
      const rows = (await quickInput(page).locator('.monaco-list-row').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
      await page.screenshot({ path: shot('3-offers') });
      if (rows.length !== 2 || !rows.every((r) => /A10.*\$0\.86\/h.*Lambda Cloud.*available now.*cannot stop/.test(r))) throw new Error(`offer rows: ${rows.join(' | ')}`);
      return rows.join(' | ');
    }, { page, required: true });

    await check('offer, default image, the local key (to be added), a name, and a confirmation with $/hour and $/day', async () => {
      await pickRow(page, 'us-west-1', /us-west-1/);
      await waitQuickInput(page, /Lambda Cloud default/);
      await page.screenshot({ path: shot('4-image') });
      await pickRow(page, '', /Lambda Cloud default/);
      await waitQuickInput(page, /id_ed25519\.pub/);
      await page.screenshot({ path: shot('5-key') });
      await pickRow(page, 'id_ed25519', /id_ed25519\.pub/);
      await waitQuickInput(page, /Name of the new instance/);
      const input = quickInput(page).locator('input').first();
      await input.fill('bad name; rm -rf ~');
      await quickInput(page).filter({ hasText: /letters, digits/ }).first().waitFor({ timeout: 10_000 });
      await page.screenshot({ path: shot('6-name-refused') });
      await input.fill(NAME);
      await page.keyboard.press('Enter');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 10_000 });
      const text = (await dialog.textContent()) ?? '';
      await page.screenshot({ path: shot('7-confirm') });
      if (!text.includes('$0.86/h') || !text.includes('$20.64 a day') || !/no stop/.test(text)) throw new Error(`confirmation: ${text.slice(0, 400)}`);
      return text.replace(/\s+/g, ' ').slice(0, 160);
    }, { page, required: true });

    await check('Provision: a progress notification through the states until SSH answers, then Connect / Open Dashboard', async () => {
      const started = Date.now();
      await page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Provision$/ }).first().click();
      // The fake boots in 3 s, so the progress may be over before it is seen: captured when it is, not required.
      const progress = await waitNotification(page, /Provisioning e2e-a10/, 6_000).then(() => 'progress seen', () => 'progress not captured');
      if (progress === 'progress seen') await page.screenshot({ path: shot('8-progress') });
      const ready = await waitNotification(page, new RegExp(`${NAME} is ready`), 90_000);
      const ms = Date.now() - started;
      await ready.locator('.monaco-button', { hasText: 'Connect' }).first().waitFor({ timeout: 5_000 });
      await page.screenshot({ path: shot('9-ready') });
      await ready.locator('.monaco-button', { hasText: 'Open Dashboard' }).first().click();
      await page.locator('.tab', { hasText: NAME }).first().waitFor({ timeout: 30_000 });
      dashboardHeader = watchDashboardHeader(page, NAME);
      return `ready ${secs(ms)} after the click (fake boot 3 s), ${progress}`;
    }, { page, required: true });

    await check(`the new instance is in the tree under Lambda Cloud with its ${GPUS} GPUs`, async () => {
      await expandRow(page, 'Lambda Cloud', 30_000);
      await expandRow(page, NAME, 30_000);
      // Rows in tree order: the GPU rows right below ours are its children (the demo instance stays collapsed).
      const read = async () => {
        const rows = (await page.locator('.pane-body .monaco-list-row').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
        const at = rows.findIndex((r) => r.includes(NAME));
        const after = rows.slice(at + 1);
        const end = after.findIndex((r) => !/^GPU \d+:/.test(r));
        return { own: rows[at] ?? '', under: end < 0 ? after : after.slice(0, end), rows };
      };
      const deadline = Date.now() + 45_000;
      let seen = await read();
      while (seen.under.length < GPUS && Date.now() < deadline) {
        await sleep(250);
        seen = await read();
      }
      const { own, under, rows } = seen;
      await page.screenshot({ path: shot('10-tree-instance') });
      if (under.length !== GPUS) throw new Error(`${under.length} GPU rows under ${NAME}: ${rows.join(' | ')}`);
      return `${own} → ${under.join(' | ')}`;
    }, { page });

    await check('the dashboard opened from Provision shows live GPUs, and never "Cancelled." while the tree queries the same instance', async () => {
      // The tree's GPU query and the dashboard's stream once asked the pool for the instance with different key lists
      // and dropped each other's connection: "Reconnecting (retry in 1 s) / Cancelled." right after Open Dashboard.
      await page.locator('.tab', { hasText: NAME }).first().click();
      const frame = await waitForFrame(page, async (f) => (await f.locator('.gpu-card').count()) >= GPUS && (await f.locator('header.header').textContent())?.includes(NAME) === true, 45_000);
      const badge = frame.locator('.state-badge').first();
      const deadline = Date.now() + 30_000;
      while ((await badge.getAttribute('data-state')) !== 'live' && Date.now() < deadline) await sleep(250);
      // A few more seconds of watching with both the tree and the dashboard on the instance.
      await sleep(4_000);
      await page.screenshot({ path: shot('10b-dashboard') });
      await dashboardHeader?.stop();
      const seen = [...(dashboardHeader?.seen ?? [])];
      const cancelled = seen.filter((text) => /Cancelled/i.test(text));
      if (cancelled.length > 0) throw new Error(`the dashboard showed: ${cancelled.join(' | ')}`);
      const state = await badge.getAttribute('data-state');
      if (state !== 'live') throw new Error(`dashboard state ${state}: ${seen.join(' | ')}`);
      const cards = (await frame.locator('.gpu-card').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
      return `live, ${cards.length} GPU cards; header texts seen: ${seen.length}`;
    }, { page });

    await check('Terminate Instance... from its context menu ends it', async () => {
      await page.keyboard.press('Escape');
      await treeRow(page, NAME).click({ button: 'right' });
      const item = page.locator('.monaco-menu .action-item', { hasText: 'Terminate Instance' }).first();
      await item.waitFor({ timeout: 10_000 });
      await item.hover();
      await page.keyboard.press('Enter');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 10_000 });
      await page.screenshot({ path: shot('11-terminate-confirm') });
      await dialog.locator('.monaco-button', { hasText: /Terminate/ }).first().click();
      const deadline = Date.now() + 60_000;
      for (;;) {
        const rows = (await page.locator('.pane-body .monaco-list-row').allTextContents()).join(' | ');
        if (!rows.includes(NAME) || /e2e-a10[^|]*(terminat)/i.test(rows)) break;
        if (Date.now() > deadline) throw new Error(`the instance row did not change after terminate: ${rows}`);
        await sleep(500);
      }
      await sleep(1000);
      await page.screenshot({ path: shot('12-terminated') });
    }, { page });
    say(`times: browser steps ${secs(Date.now() - tStart)}, total ${secs(Date.now() - t0)}`);
  } finally {
    for (const fn of cleanups) await fn().catch((e) => say(`cleanup: ${e}`));
  }
}

await runToEnd('test:provision', main, () => existsSync(RESULTS_DIR) ? readdirSync(RESULTS_DIR).filter((n) => n.startsWith('provision-')).join(', ') : 'none');
