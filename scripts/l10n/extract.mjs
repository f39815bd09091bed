// @ts-check
// `npm run l10n:extract`: collects every translatable string of the extension and writes l10n/bundle.l10n.json, the
// English source bundle (the same shape @vscode/l10n-dev writes: English message → English message).
//
// A string is translatable when it is the literal first argument of `t(...)` (src/shared/l10n.ts, for core, remote,
// providers and the webview), `l10n.t(...)` / `vscode.l10n.t(...)`, or the `message` of `vscode.l10n.t({ message })`.
// Files are parsed with the TypeScript compiler API, not matched with regular expressions, so strings spread over
// lines, escaped quotes and template literals without substitutions are read exactly as the runtime sees them.
//
// `--missing`: also prints the messages that l10n/bundle.l10n.zh-cn.json lacks (what a translator has to do next).
import { readdirSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const L10N_DIR = path.join(REPO_ROOT, 'l10n');
/** Folders whose non-test sources are scanned. */
export const SCANNED = ['src', 'webview'];

/** @param {string} dir @returns {string[]} repo-relative paths of .ts sources that ship (tests and testkits excluded) */
export function sourceFiles(dir = REPO_ROOT) {
  /** @type {string[]} */
  const out = [];
  /** @param {string} rel */
  const walk = (rel) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (/\.ts$/.test(entry.name) && !/\.(test|testkit|d)\.ts$/.test(entry.name)) out.push(child);
    }
  };
  for (const root of SCANNED) if (existsSync(path.join(dir, root))) walk(root);
  return out.sort();
}

/** @param {ts.Node} node @returns {string | undefined} the text of a literal without substitutions */
export function literalText(node) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

/**
 * Whether a call is one of ours: bare `t(...)`, or `<anything>.l10n.t(...)` / `l10n.t(...)`.
 * @param {ts.CallExpression} call
 */
export function isTranslateCall(call) {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text === 't';
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 't') {
    const target = callee.expression;
    return (ts.isIdentifier(target) && target.text === 'l10n') || (ts.isPropertyAccessExpression(target) && target.name.text === 'l10n');
  }
  return false;
}

/**
 * @typedef {{ file: string, line: number }} Place
 * @typedef {{ messages: Map<string, Place[]>, nonLiteral: Place[] }} Extraction
 */

/**
 * Every translatable message in the given files, with where it is used, plus the calls whose message is not a literal
 * (they cannot be extracted, so they are reported).
 * @param {string[]} files repo-relative
 * @param {string} [root]
 * @returns {Extraction}
 */
export function extract(files, root = REPO_ROOT) {
  /** @type {Map<string, Place[]>} */
  const messages = new Map();
  /** @type {Place[]} */
  const nonLiteral = [];
  for (const file of files) {
    const text = readFileSync(path.join(root, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    /** @param {ts.Node} node */
    const visit = (node) => {
      if (ts.isCallExpression(node) && isTranslateCall(node) && node.arguments.length > 0) {
        const place = { file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 };
        const key = messageKey(/** @type {ts.Expression} */ (node.arguments[0]));
        if (key === undefined) nonLiteral.push(place);
        else messages.set(key, [...(messages.get(key) ?? []), place]);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { messages, nonLiteral };
}

/**
 * The bundle key of a message argument: the literal, or for `{ message, comment }` the message followed by
 * `/comment` as VS Code looks it up. Undefined when it is not a literal.
 * @param {ts.Expression} arg
 */
function messageKey(arg) {
  const direct = literalText(arg);
  if (direct !== undefined) return direct;
  if (!ts.isObjectLiteralExpression(arg)) return undefined;
  /** @type {string | undefined} */
  let message;
  let comment = '';
  for (const prop of arg.properties) {
    if (!ts.isPropertyAssignment(prop) || !ts.isIdentifier(prop.name)) continue;
    if (prop.name.text === 'message') message = literalText(prop.initializer);
    if (prop.name.text === 'comment') {
      const init = prop.initializer;
      comment = ts.isArrayLiteralExpression(init) ? init.elements.map((e) => literalText(e) ?? '').join('') : (literalText(init) ?? '');
    }
  }
  return message === undefined ? undefined : comment ? `${message}/${comment}` : message;
}

/** @param {string} lang @returns {Record<string, string>} */
export function readBundle(lang) {
  const file = path.join(L10N_DIR, lang ? `bundle.l10n.${lang}.json` : 'bundle.l10n.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { messages, nonLiteral } = extract(sourceFiles());
  mkdirSync(L10N_DIR, { recursive: true });
  const bundle = Object.fromEntries([...messages.keys()].sort().map((k) => [k, k]));
  writeFileSync(path.join(L10N_DIR, 'bundle.l10n.json'), JSON.stringify(bundle, null, 2) + '\n');
  console.log(`l10n/bundle.l10n.json: ${messages.size} messages`);
  for (const p of nonLiteral) console.log(`not extractable (message is not a literal): ${p.file}:${p.line}`);
  if (process.argv.includes('--missing')) {
    const zh = readBundle('zh-cn');
    const missing = [...messages.keys()].filter((k) => !(k in zh)).sort();
    console.log(`missing in bundle.l10n.zh-cn.json: ${missing.length}`);
    if (process.argv.includes('--json')) console.log(JSON.stringify(Object.fromEntries(missing.map((k) => [k, ''])), null, 2));
    else for (const k of missing) console.log(`  ${JSON.stringify(k)}  (${messages.get(k)?.[0]?.file})`);
  }
}
