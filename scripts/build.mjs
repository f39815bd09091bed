// Bundles the extension host code with esbuild. ssh2's optional native parts (cpu-features, sshcrypto.node) stay
// external: they are ABI-bound to one Node version and ssh2 falls back to pure JS/WASM without them
// (see README "Build"). The .vsix therefore carries no node_modules and no .node files.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';

/**
 * `import { z } from 'zod'` re-exports `z.locales`, every translation of zod's error messages (~250 KB minified),
 * which no tree-shaking can drop. The webview only logs refused messages, in English (zod's default, imported apart),
 * so the locale index becomes an empty module in the browser bundles.
 */
const withoutZodLocales = {
  name: 'without-zod-locales',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) => (/[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'empty' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

const production = process.argv.includes('--production');
const started = Date.now();
rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: ['src/vscode/extension.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: 'dist/extension.js',
  external: ['vscode', 'cpu-features', '*.node'],
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  metafile: false,
});

// The webview apps: browser bundles loaded by the panel's page under a nonce CSP (webview/README.md). ESM because the
// page loads them with <script type="module">; one file per app (no shared chunks: a chunk imported by a nonce'd
// module would need script-src beyond the nonce). CSS is bundled separately (uPlot's styles + ours) for a <link>.
await build({
  entryPoints: [
    { in: 'webview/dashboard/main.ts', out: 'dashboard' },
    { in: 'webview/monitor/main.ts', out: 'monitor' },
    { in: 'webview/dashboard/dashboard.css', out: 'dashboard' },
    { in: 'webview/monitor/monitor.css', out: 'monitor' },
  ],
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'esm',
  outdir: 'dist/webview',
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
  plugins: [withoutZodLocales],
});
// Codicons for the buttons' icons: the page links codicon.css with id="vscode-codicon-stylesheet".
mkdirSync('dist/webview', { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/webview/${file}`);
const kb = (f) => `${(statSync(`dist/webview/${f}`).size / 1024).toFixed(1)} KB`;
console.log(`build: dist/webview/dashboard.js ${kb('dashboard.js')}, monitor.js ${kb('monitor.js')}, dashboard.css ${kb('dashboard.css')}`);

console.log(`build: dist/extension.js in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
