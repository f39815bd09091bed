// Webview render benchmark in a real browser (Debian's Chromium via playwright-core): 8 GPUs, real uPlot on canvas.
// Not a test (timings vary by machine); run `node test/unit/webview/renderBench.mjs` and read the table.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchChromium } from '../../vscode/harness.mjs';

/**
 * Heap after a forced GC at 0, 6, 12, 18 and 24 simulated hours of full 24 h snapshots (Chrome DevTools Protocol).
 * @param {import('playwright-core').BrowserContext} context
 * @param {import('playwright-core').Page} page
 */
async function heapSection(context, page) {
  const cdp = await context.newCDPSession(page);
  const used = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const h = /** @type {{ usedSize: number }} */ (await cdp.send('Runtime.getHeapUsage'));
    return h.usedSize / 1024 / 1024;
  };
  await page.evaluate('window.heapStep(20)');
  const rows = [[0, await used()]];
  for (let hours = 6; hours <= 24; hours += 6) {
    await page.evaluate('window.heapStep(250)');
    rows.push([hours, await used()]);
  }
  console.log('');
  console.log('| simulated hours of 24 h snapshots (8 GPUs) | ' + rows.map(([h]) => `${h} h`).join(' | ') + ' |');
  console.log('| --- | ' + rows.map(() => '---').join(' | ') + ' |');
  console.log('| JS heap after GC (MiB) | ' + rows.map(([, mb]) => mb.toFixed(1)).join(' | ') + ' |');
}

const dir = mkdtempSync(path.join(tmpdir(), 'render-bench-'));
try {
  await build({ entryPoints: ['test/unit/webview/renderBench.entry.ts'], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', minify: true, outfile: path.join(dir, 'bench.js'), logLevel: 'warning' });
  await build({ entryPoints: ['webview/dashboard/dashboard.css'], bundle: true, outfile: path.join(dir, 'dashboard.css'), logLevel: 'warning' });
  writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><html><head><link rel="stylesheet" href="dashboard.css"></head><body class="vscode-dark"><div id="app"></div><script src="bench.js"></script></body></html>`,
  );
  const context = await launchChromium(path.join(dir, 'profile'));
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(`file://${path.join(dir, 'index.html')}`);
  const result = await page.evaluate('window.runRenderBench()');
  const f = (n) => `${n.toFixed(2)} ms`;
  console.log('| 8 GPUs x 4 charts | render() p50 / max | longest draw frame | draw frame p95 | frames per snapshot | drawing per snapshot |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [label, t] of Object.entries(result)) {
    console.log(`| ${label} | ${f(t.renderP50)} / ${f(t.renderMax)} | ${f(t.drawFrameMax)} | ${f(t.drawFrameP95)} | ${t.framesPerSnapshot.toFixed(1)} | ${f(t.drawTotalMs)} |`);
  }
  await heapSection(context, page);
  await context.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
