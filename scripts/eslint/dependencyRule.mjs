// The architecture's dependency rule as an ESLint rule. Relative imports are resolved to the folder they land in,
// so `../remote/x` from src/core/telemetry (which is src/core/remote) and from src/core (which is src/remote) are
// told apart; a glob over import strings cannot do that.
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

/** Which layer a file belongs to, by its path inside the repo. */
function layerOf(file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (rel.startsWith('src/shared/')) return 'shared';
  if (rel.startsWith('src/core/')) return 'core';
  if (rel.startsWith('src/providers/')) return `providers/${rel.split('/')[2]}`;
  if (rel.startsWith('src/remote/')) return 'remote';
  if (rel.startsWith('src/vscode/')) return 'vscode';
  if (rel.startsWith('webview/')) return 'webview';
  if (rel.startsWith('test/vscode/')) return 'vscodeTest';
  return 'other';
}

const NODE_BUILTINS = new Set(['fs', 'fs/promises', 'path', 'os', 'child_process', 'net', 'tls', 'http', 'https', 'crypto', 'stream', 'events', 'util', 'url', 'dns', 'zlib', 'readline', 'string_decoder', 'buffer', 'timers']);

/** For each layer: may it import this package (bare specifier)? */
const PACKAGES = {
  shared: (p) => p === 'zod',
  core: (p) => p === 'zod',
  // The EC2 provider speaks AWS through the official SDK, with the HttpFetch port plugged in as its request handler.
  providers: (p, self) => p === 'zod' || (self === 'providers/awsEc2' && (p.startsWith('@aws-sdk/') || p.startsWith('@smithy/'))),
  remote: (p) => p !== 'vscode',
  vscode: () => true,
  vscodeTest: () => true,
  webview: (p) => p === 'zod' || p.startsWith('@vscode-elements/') || p.startsWith('@vscode/codicons') || p === 'uplot' || p === 'lit',
  other: (p) => p !== 'vscode',
};

/** For each layer: may it import from that layer? */
const LAYERS = {
  shared: (t) => t === 'shared',
  core: (t) => t === 'shared' || t === 'core',
  providers: (t, self) => t === 'shared' || t === 'core' || t === self,
  remote: (t) => t === 'shared' || t === 'core' || t === 'remote',
  vscode: (t) => t !== 'webview',
  vscodeTest: () => true,
  webview: (t) => t === 'shared' || t === 'webview',
  other: () => true,
};

function isTest(file) {
  return /\.test\.ts$/.test(file);
}

export const dependencyRule = {
  meta: { type: 'problem', schema: [], messages: { banned: '{{from}} must not import {{what}} (ARCHITECTURE.md, dependency rule).' } },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    const family = from.startsWith('providers/') ? 'providers' : from;
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      let ok;
      let what = spec;
      if (spec.startsWith('.')) {
        const target = layerOf(path.resolve(path.dirname(file), spec));
        ok = LAYERS[family](target, from);
        what = `${spec} (${target})`;
      } else {
        const bare = spec.replace(/^node:/, '');
        const isNode = spec.startsWith('node:') || NODE_BUILTINS.has(bare);
        // Unit tests beside domain code may read fixtures from disk; they still never see vscode.
        if (isNode) ok = !['shared', 'core', 'providers', 'webview'].includes(family) || (isTest(file) && family !== 'webview');
        else ok = PACKAGES[family](spec, from) || (isTest(file) && spec === 'vitest');
      }
      if (!ok) context.report({ node, messageId: 'banned', data: { from: `${from} (${path.relative(root, file)})`, what } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
