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
  return { checks, check };
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
