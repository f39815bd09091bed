// Bundles the extension host code with esbuild. ssh2's optional native parts (cpu-features, sshcrypto.node) stay
// external: they are ABI-bound to one Node version and ssh2 falls back to pure JS/WASM without them
// (see README "Build"). The .vsix therefore carries no node_modules and no .node files.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

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

console.log(`build: dist/extension.js in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
