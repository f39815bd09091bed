// @ts-check
/** What the browser tests share: named checks that record failures with a screenshot, and webview frame waiting. */
import { say, secs, sleep } from '../vscode/harness.mjs';

/** @typedef {{ name: string, ok: boolean, detail: string, ms: number }} CheckResult */

/**
 * A runner of named checks. A failure is recorded (with a screenshot `shot('failed-N')` when a page is given) and
 * the next checks still run, unless `required` says they cannot: then it throws "required check failed: <name>".
 * @param {(name: string) => string} shot the screenshot path of a name
 */
export function createCheckRunner(shot) {
  /** @type {CheckResult[]} */
  const checks = [];
  /**
   * @template T
   * @param {string} name @param {() => Promise<T>} fn @param {{ page?: import('playwright-core').Page, required?: boolean }} [opts]
   * @returns {Promise<T | undefined>}
   */
  async function check(name, fn, opts = {}) {
    const started = Date.now();
    try {
      const value = await fn();
      checks.push({ name, ok: true, detail: typeof value === 'string' ? value : '', ms: Date.now() - started });
      say(`  ✔ ${name}${typeof value === 'string' && value ? ` (${value})` : ''} ${secs(Date.now() - started)}`);
      return value;
    } catch (e) {
      const detail = e instanceof Error ? e.message.split('\n').slice(0, 6).join('\n') : String(e);
      checks.push({ name, ok: false, detail, ms: Date.now() - started });
      say(`  ✘ ${name}: ${detail}`);
      if (opts.page) await opts.page.screenshot({ path: shot(`failed-${checks.length}`) }).catch(() => undefined);
      if (opts.required) throw new Error(`required check failed: ${name}`);
      return undefined;
    }
  }
  /**
   * Runs the test's `main`, then prints the screenshots and the one line `N passed, N failed` that scripts/test.mjs
   * reads, and exits 1 when anything failed or nothing passed. An error outside any check counts as a failed check.
   * @param {string} label the npm script, e.g. "test:ui" @param {() => Promise<void>} main @param {() => string} screenshots
   */
  async function runToEnd(label, main, screenshots) {
    try {
      await main();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!message.startsWith('required check failed')) checks.push({ name: `${label} ran to the end`, ok: false, detail: message, ms: 0 });
      say(`\n${label} stopped: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    const passed = checks.filter((c) => c.ok).length;
    const failed = checks.length - passed;
    say(`screenshots: ${screenshots() || 'none'}`);
    say(`${passed} passed, ${failed} failed`);
    process.exit(failed > 0 || passed === 0 ? 1 : 0);
  }
  return { checks, check, runToEnd };
}

/**
 * Polls the page's frames until one satisfies `ready` (webview content lives two iframes deep).
 * @param {import('playwright-core').Page} page
 * @param {(f: import('playwright-core').Frame) => Promise<boolean>} ready
 * @param {number} timeoutMs
 */
export async function waitForFrame(page, ready, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const f of page.frames()) if (await ready(f).catch(() => false)) return f;
    if (Date.now() > deadline) throw new Error(`no webview frame was ready after ${timeoutMs} ms`);
    await sleep(500);
  }
}

/** Runs a palette command by its title. @param {import('playwright-core').Page} page @param {string} title */
export async function runCommand(page, title) {
  const quickInput = page.locator('.quick-input-widget');
  await page.keyboard.press('F1');
  const input = quickInput.locator('input').first();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  await quickInput.locator('.monaco-list-row', { hasText: title }).first().click({ timeout: 10_000 });
}

/**
 * A notification (toast, or the notification centre when toasts are not shown) whose text matches: both render
 * `.notification-list-item`, buttons included. After a few seconds without a toast the centre is opened from the
 * palette.
 * @param {import('playwright-core').Page} page @param {RegExp} text @param {number} timeoutMs
 */
export async function waitNotification(page, text, timeoutMs) {
  const item = page.locator('.notification-list-item', { hasText: text }).first();
  const deadline = Date.now() + timeoutMs;
  let opened = false;
  for (const started = Date.now(); ; ) {
    if (await item.isVisible().catch(() => false)) return item;
    if (Date.now() > deadline) throw new Error(`no notification matching ${text} within ${timeoutMs} ms`);
    if (!opened && Date.now() - started > 4_000 && !(await page.locator('.quick-input-widget').isVisible().catch(() => false))) {
      opened = true;
      await runCommand(page, 'Notifications: Show Notifications').catch(() => undefined);
    }
    await sleep(300);
  }
}

/**
 * The dashboard's cost counters as label → value, once every wanted label is there or the time is up (the budget
 * rows come with the first cost round); the section is scrolled into view for a screenshot.
 * @param {import('playwright-core').Frame} frame @param {string[]} want @param {number} timeoutMs
 */
export async function waitCostRows(frame, want, timeoutMs) {
  const read = async () => {
    const labels = (await frame.locator('section.cost .cost-counters dt').allTextContents()).map((t) => t.trim());
    const values = (await frame.locator('section.cost .cost-counters dd').allTextContents()).map((t) => t.trim());
    return new Map(labels.map((l, i) => [l, values[i] ?? '']));
  };
  const deadline = Date.now() + timeoutMs;
  let rows = await read();
  while (want.some((w) => !rows.has(w)) && Date.now() < deadline) {
    await sleep(500);
    rows = await read();
  }
  await frame.locator('section.cost').scrollIntoViewIfNeeded();
  await sleep(300);
  return rows;
}

/** A row of the Instances tree by its label. @param {import('playwright-core').Page} page @param {string} label */
export function treeRow(page, label) {
  return page.locator('.pane-body .monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();
}

/**
 * Makes a tree row expanded (clicking its label when collapsed; the row's middle can be an inline action) and waits
 * until the tree says so.
 * @param {import('playwright-core').Page} page @param {string} label @param {number} [timeoutMs] for the row to appear
 */
export async function expandRow(page, label, timeoutMs = 20_000) {
  const row = treeRow(page, label);
  await row.waitFor({ timeout: timeoutMs });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.label-name').first().click();
  await page
    .locator('.pane-body .monaco-list-row[aria-expanded="true"]', { has: page.locator('.label-name', { hasText: label }) })
    .first()
    .waitFor({ timeout: 10_000 });
  return row;
}
