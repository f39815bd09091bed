// Bundles the extension host code with esbuild. ssh2's optional native parts (cpu-features, sshcrypto.node) stay
// external: they are ABI-bound to one Node version and ssh2 falls back to pure JS/WASM without them
// (see README "Build"). The .vsix therefore carries no node_modules and no .node files.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';

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

/**
 * The AWS SDK is most of the host bundle's weight and only EC2 needs it, so it goes to dist/aws-sdk.js: the host
 * bundle `require`s it from inside the lazily evaluated EC2 module (the registry reaches src/providers/awsEc2 through
 * a dynamic import()), so activation neither parses nor runs it unless an EC2 key is set. Only the SDK moves; our
 * own code stays in one bundle, so `instanceof RemoteGpuError` holds for errors the EC2 provider throws.
 */
const AWS_SDK_OUT = './aws-sdk.js';
const awsSdkApart = {
  name: 'aws-sdk-apart',
  setup(b) {
    b.onResolve({ filter: /^@aws-sdk\/client-[a-z0-9-]+$/ }, () => ({ path: AWS_SDK_OUT, external: true }));
  },
};

/**
 * The SDK bundle's entry: exactly the values src/providers/awsEc2 imports (read from its import lines), so esbuild
 * still tree-shakes the ~700 EC2 commands nobody calls. `import type` lines and `type X` names are left out.
 */
function awsSdkEntry() {
  const dir = 'src/providers/awsEc2';
  const names = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const text = readFileSync(`${dir}/${file}`, 'utf8');
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'(@aws-sdk\/client-[a-z0-9-]+)'/g)) {
      const wanted = m[1].split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type '));
      names.set(m[2], new Set([...(names.get(m[2]) ?? []), ...wanted]));
    }
  }
  return [...names].map(([pkg, set]) => `export { ${[...set].join(', ')} } from '${pkg}';`).join('\n');
}

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
  plugins: [awsSdkApart],
});

await build({
  stdin: { contents: awsSdkEntry(), resolveDir: process.cwd(), sourcefile: 'aws-sdk-entry.js', loader: 'js' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: 'dist/aws-sdk.js',
  sourcemap: false,
  minify: production,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
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

const hostKb = (f) => `${(statSync(`dist/${f}`).size / 1024).toFixed(1)} KB`;
console.log(`build: dist/extension.js ${hostKb('extension.js')}, aws-sdk.js ${hostKb('aws-sdk.js')} in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
