// @ts-check
// `npm run test:ui-zh-cn`: the packaged .vsix in a fresh code-server whose display language is Simplified Chinese
// (`--locale zh-cn`, see installStubLanguagePack in test/rig/codeServer.mjs), driven in Chromium: the tree, a context
// menu and the GPU dashboard must show our strings in Chinese, and the extension must see `vscode.env.language` as
// zh-cn. The workbench's own strings stay English offline (its language pack comes from a marketplace).
// Screenshots: test-results/ui-zh-cn-tree.png, ui-zh-cn-dashboard.png and ui-zh-cn-advisor.png (Recommend a GPU's
// offers over the fake Lambda's, in Chinese).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkSystemParts, ensureCodeServer, installVsix, REPO_ROOT, startCodeServer } from '../rig/codeServer.mjs';
import { startWorld } from '../rig/world.mjs';
import { readZipText, zipEntries } from './zip.mjs';
import { collectLogs, launchChromium, RESULTS_DIR, run, say, secs, sleep } from '../vscode/harness.mjs';
import { createCheckRunner, expandRow, treeRow, waitForFrame } from './checks.mjs';

const BUILT_VSIX = path.join(REPO_ROOT, 'dist', 'remote-gpu.vsix');
const vsixArg = process.argv.indexOf('--vsix');
const VSIX = vsixArg > 0 && process.argv[vsixArg + 1] ? path.resolve(process.argv[vsixArg + 1] ?? '') : BUILT_VSIX;
const GPUS = 2;
const LOCALE = 'zh-cn';
const ZH = JSON.parse(readFileSync(path.join(REPO_ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8'));
const ZH_NLS = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.nls.zh-cn.json'), 'utf8'));
const shot = (/** @type {string} */ name) => path.join(RESULTS_DIR, `ui-zh-cn-${name}.png`);

/** The Chinese of one of our English strings, read from the bundle the test also ships (so the test follows edits). */
function zh(/** @type {string} */ english) {
  const text = ZH[english];
  if (typeof text !== 'string') throw new Error(`no zh-cn translation of ${JSON.stringify(english)}`);
  return text;
}

const { check, runToEnd } = createCheckRunner(shot);

/** @param {import('playwright-core').Page} page */
const quickInput = (page) => page.locator('.quick-input-widget');

/** Filters the open quick pick and clicks the first row that matches, as a keyboard user picks. @param {import('playwright-core').Page} page @param {string} filter @param {string | RegExp} row */
async function pickRow(page, filter, row) {
  await quickInput(page).locator('input').first().fill(filter);
  const match = quickInput(page).locator('.monaco-list-row', { hasText: row }).first();
  await match.waitFor({ timeout: 15_000 });
  await match.click();
}

/** Types into the open input box once it shows `prompt`, then Enter. @param {import('playwright-core').Page} page @param {string} prompt @param {string} value */
async function answerInput(page, prompt, value) {
  await quickInput(page).filter({ hasText: prompt }).first().waitFor({ state: 'visible', timeout: 15_000 });
  const input = quickInput(page).locator('input').first();
  await input.fill(value);
  await page.keyboard.press('Enter');
}

/** Runs a palette command by its (translated) title. @param {import('playwright-core').Page} page @param {string} title */
async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('input').first();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  await quickInput(page).locator('.monaco-list-row', { hasText: title }).first().click({ timeout: 10_000 });
}

/** Drags the side bar's sash so tree labels are not cut off in the screenshot. @param {import('playwright-core').Page} page @param {number} width */
async function widenSidebar(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
}


async function main() {
  const t0 = Date.now();
  checkSystemParts({ chromium: true, sshd: true });
  // Without a CJK font Chromium draws every Chinese character as a box: the checks would pass, the screenshots not.
  const cjk = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  if (!cjk) throw new Error('no Chinese font for Chromium. Install one with:\n  apt-get install -y --no-install-recommends fonts-wqy-microhei');
  mkdirSync(RESULTS_DIR, { recursive: true });
  for (const f of ['tree', 'dashboard', 'advisor']) rmSync(shot(f), { force: true });
  const logsDir = path.join(RESULTS_DIR, 'ui-zh-cn');
  rmSync(logsDir, { recursive: true, force: true });

  if (VSIX === BUILT_VSIX) await check('npm run package builds dist/remote-gpu.vsix', async () => {
    rmSync(VSIX, { force: true });
    await run('npm', ['run', '--silent', 'package']);
    if (!existsSync(VSIX)) throw new Error('no dist/remote-gpu.vsix after npm run package');
    return `${(statSync(VSIX).size / 1024).toFixed(0)} KiB`;
  }, { required: true });

  await check('the .vsix carries the zh-cn bundle and package.nls.zh-cn.json', async () => {
    const zip = readFileSync(VSIX);
    const names = zipEntries(zip);
    for (const want of ['extension/l10n/bundle.l10n.zh-cn.json', 'extension/package.nls.zh-cn.json']) {
      if (!names.includes(want)) throw new Error(`${want} is not in the .vsix (.vscodeignore?)`);
    }
    const manifest = JSON.parse(readZipText(zip, 'extension/package.json'));
    if (manifest.l10n !== './l10n') throw new Error(`package.json "l10n" is ${JSON.stringify(manifest.l10n)}`);
    return `${Object.keys(JSON.parse(readZipText(zip, 'extension/l10n/bundle.l10n.zh-cn.json'))).length} strings`;
  }, { required: true });

  await ensureCodeServer();
  const world = await startWorld({ gpus: GPUS, speedup: 20 });
  /** @type {Array<() => Promise<unknown>>} */
  const cleanups = [world.stop];
  try {
    const userDataDir = path.join(world.root, 'code-server-data');
    const extensionsDir = path.join(world.root, 'code-server-extensions');
    await check('the .vsix installs into a fresh code-server', () => installVsix(VSIX, { userDataDir, extensionsDir }), { required: true });
    const workspace = path.join(world.root, 'workspace');
    const server = await startCodeServer({ home: world.home, userDataDir, extensionsDir, workspace, settings: world.settings, locale: LOCALE });
    cleanups.unshift(async () => collectLogs(userDataDir, logsDir), server.stop);
    const browser = await launchChromium(path.join(world.root, 'chromium'));
    cleanups.unshift(() => browser.close());
    const page = browser.pages()[0] ?? (await browser.newPage());
    const tStart = Date.now();

    await check(`the workbench loads with display language ${LOCALE}`, async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      const lang = await page.evaluate(() => /** @type {{ _VSCODE_NLS_LANGUAGE?: string }} */ (globalThis)._VSCODE_NLS_LANGUAGE);
      if (lang !== LOCALE) throw new Error(`the workbench runs in ${JSON.stringify(lang)}, not ${LOCALE}`);
      return `_VSCODE_NLS_LANGUAGE=${lang}`;
    }, { page, required: true });

    await check('the Instances tree says 「SSH 主机」 and lists the rig host with its GPUs', async () => {
      const item = page.locator('.activitybar .action-item', { has: page.locator('[aria-label^="Remote GPU"]') }).or(page.locator('.activitybar .action-item[aria-label^="Remote GPU"]')).first();
      await item.waitFor({ timeout: 30_000 });
      await item.click();
      await page.locator('.part.sidebar .pane-body .monaco-list-row').first().waitFor({ timeout: 15_000 });
      await widenSidebar(page, 560);
      await expandRow(page, zh('SSH Hosts'));
      await expandRow(page, world.rigInfo.gpuHost);
      const gpuRows = page.locator('.pane-body .monaco-list-row', { hasText: /GPU \d+: NVIDIA H100/ });
      const deadline = Date.now() + 45_000;
      while ((await gpuRows.count()) < GPUS) {
        if (Date.now() > deadline) throw new Error(`fewer than ${GPUS} GPU rows after 45 s`);
        await sleep(250);
      }
      await page.mouse.move(900, 450);
      await sleep(500);
      await page.screenshot({ path: shot('tree') });
      return `${zh('SSH Hosts')} › ${world.rigInfo.gpuHost} › ${await gpuRows.count()} GPUs`;
    }, { page, required: true });

    await check('the host context menu shows our command titles from package.nls.zh-cn.json', async () => {
      await treeRow(page, world.rigInfo.gpuHost).click({ button: 'right' });
      const item = page.locator('.monaco-menu .action-item', { hasText: ZH_NLS['cmd.openDashboard'] }).first();
      await item.waitFor({ timeout: 10_000 });
      const titles = (await page.locator('.monaco-menu .action-item .action-label').allTextContents()).map((s) => s.trim()).filter(Boolean);
      if (!titles.includes(ZH_NLS['cmd.openTerminal'])) throw new Error(`no 「${ZH_NLS['cmd.openTerminal']}」 in the menu: ${titles.join(' | ')}`);
      await item.hover();
      await page.keyboard.press('Enter');
      return titles.slice(0, 6).join(' | ');
    }, { page });

    await check('the GPU dashboard renders in Chinese, and the extension saw vscode.env.language = zh-cn', async () => {
      const frame = await waitForFrame(page, async (f) => (await f.locator('.gpu-card').count()) >= GPUS, 45_000);
      const lang = await frame.locator('html').getAttribute('lang');
      if (lang !== LOCALE) throw new Error(`the dashboard page says lang=${JSON.stringify(lang)}: vscode.env.language is not ${LOCALE}`);
      const text = (await frame.locator('body').innerText()).replace(/\s+/g, ' ');
      const wanted = [zh('Utilisation'), zh('Temperature'), zh('Open Terminal'), zh('Processes'), zh('Window')];
      const missing = wanted.filter((w) => !text.includes(w));
      if (missing.length > 0) throw new Error(`not on the dashboard: ${missing.join(', ')}; text: ${text.slice(0, 300)}`);
      const english = ['Utilisation', 'Temperature', 'Open Terminal', 'Processes'].filter((w) => text.includes(w));
      if (english.length > 0) throw new Error(`still English on the dashboard: ${english.join(', ')}`);
      const tab = await page.locator('.tab', { hasText: world.rigInfo.gpuHost }).first().textContent();
      await sleep(2500);
      await page.screenshot({ path: shot('dashboard') });
      return `tab "${tab?.trim()}", ${wanted.join(' ')}`;
    }, { page });

    await check('Recommend a GPU... asks and answers in Chinese: 13B LoRA, the estimate by named parts, the fake Lambda offers that fit', async () => {
      const cloud = world.rigInfo.cloud;
      if (!cloud) throw new Error('the world started no cloud fakes');
      await page.keyboard.press('Escape');
      await runCommand(page, ZH_NLS['cmd.setApiKey']);
      await pickRow(page, 'Lambda', /Lambda Cloud/);
      await quickInput(page).locator('input[type="password"]').first().waitFor({ timeout: 10_000 });
      await page.keyboard.type(cloud.lambdaKey);
      await page.keyboard.press('Enter');
      await treeRow(page, cloud.lambdaInstance).waitFor({ timeout: 30_000 }).catch(() => undefined);
      await runCommand(page, ZH_NLS['cmd.recommendGpu']);
      await pickRow(page, '', zh('Enter the size in billions of parameters'));
      await answerInput(page, zh('Model size: billions of parameters (7, 13, 70) or with a unit (350m, 1.5b)'), '13');
      await pickRow(page, '', zh('LoRA fine-tuning'));
      await pickRow(page, 'BF16', /BF16/);
      await answerInput(page, zh('Batch size per GPU (sequences per step)'), '4');
      await answerInput(page, zh('Sequence length in tokens (prompt + output for inference)'), '2048');
      await pickRow(page, '', zh('On'));
      const onOne = zh('fits on one GPU');
      await quickInput(page).filter({ hasText: onOne }).first().waitFor({ state: 'visible', timeout: 30_000 });
      await sleep(500);
      const rows = (await quickInput(page).locator('.monaco-list-row').allTextContents()).map((r) => r.replace(/\s+/g, ' ').trim());
      const text = rows.join(' | ');
      // 13B in 16 bits: 26 GB of weights; the 24 GB A10 does not hold the ~35 GB estimate, the 80 GB H100 does.
      const wanted = [`${zh('weights')} 26.0 GB`, zh('LoRA adapters'), zh('activations'), onOne, 'H100'];
      const missing = wanted.filter((w) => !text.includes(w));
      if (missing.length > 0) throw new Error(`not in the advisor's list: ${missing.join(', ')}; rows: ${text.slice(0, 600)}`);
      const english = ['fits on one GPU', 'weights', 'activations', 'on one GPU', 'available now'].filter((w) => text.includes(w));
      if (english.length > 0) throw new Error(`still English in the advisor: ${english.join(', ')}`);
      if (rows.some((r) => /A10 /.test(r) && r.includes(onOne))) throw new Error(`a 24 GB A10 was listed as fitting: ${text.slice(0, 600)}`);
      await page.mouse.move(1200, 800); // no hover tooltip over the rows
      await sleep(400);
      await page.screenshot({ path: shot('advisor') });
      await page.keyboard.press('Escape');
      return rows.slice(0, 3).join(' | ').slice(0, 200);
    }, { page });

    say(`times: browser steps ${secs(Date.now() - tStart)}, total ${secs(Date.now() - t0)}`);
  } finally {
    for (const fn of cleanups) await fn().catch((e) => say(`cleanup: ${e}`));
  }
}

await runToEnd('test:ui-zh-cn', main, () => ['tree', 'dashboard', 'advisor'].filter((n) => existsSync(shot(n))).map((n) => `ui-zh-cn-${n}.png`).join(', '));
