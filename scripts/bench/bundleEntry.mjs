// @ts-check
/**
 * Bundles a benchmark's TypeScript entry (scripts/bench/<name>.ts) with esbuild into out/bench/<name>.cjs and loads
 * it: the benchmarks drive the extension's own code, not a copy. As scripts/build.mjs, ssh2's optional native parts
 * stay out (it falls back to pure JS).
 */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = `${ROOT}out/bench`;

/**
 * @param {string} name the entry's file name in scripts/bench, without `.ts`
 * @returns {Promise<any>} the entry's exports
 */
export async function bundleBenchEntry(name) {
  mkdirSync(OUT, { recursive: true });
  const outfile = `${OUT}/${name}.cjs`;
  await build({
    entryPoints: [`${ROOT}scripts/bench/${name}.ts`],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    external: ['cpu-features', '*.node'],
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(outfile);
}
