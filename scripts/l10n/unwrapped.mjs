// @ts-check
// A heuristic guard for src/vscode: English text handed straight to a VS Code UI surface without l10n.t. It looks at
// the places text reaches the user (message boxes, quick picks, input boxes, tree items, status bar items, progress,
// webview panel titles, and the text properties of the objects passed to them) and reports string literals there.
// It cannot see text built elsewhere and passed in a variable; the extraction test covers what goes through t().
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from './extract.mjs';

/** Calls whose string arguments are shown to the user. */
const UI_CALLS = new Set([
  'showInformationMessage',
  'showWarningMessage',
  'showErrorMessage',
  'showQuickPick',
  'showInputBox',
  'createStatusBarItem',
  'createWebviewPanel',
  'setStatusBarMessage',
  'withProgress',
  'report',
]);
/** Properties that carry text shown to the user, on UI objects and on the option objects given to the calls above. */
const TEXT_PROPS = new Set([
  'label',
  'description',
  'detail',
  'tooltip',
  'placeholder',
  'placeHolder',
  'prompt',
  'title',
  'text',
  'message',
  'validationMessage',
  'accessibilityInformation',
]);
/** Words that stay as they are in every language: products, providers, tools, units, example values. */
const UNTRANSLATED = new Set(
  'Remote GPU GPUs Lambda Cloud RunPod Vast ai AWS EC2 nvidia smi SSH MiB GiB MB GB localhost TensorBoard Jupyter AKIA ubuntu'.split(' '),
);

/**
 * Whether a literal reads as words a user would need translated: letters left after removing codicons
 * (`$(name)`), placeholders and identifiers such as command ids.
 * @param {string} text
 */
export function isTexty(text) {
  const stripped = text.replace(/\$\([\w~-]+\)/g, '').trim();
  if (/^[\w-]+(\.[\w-]+)+$/.test(stripped)) return false; // remoteGpu.openDashboard, view and setting ids
  if (/^[a-z]+[A-Z][A-Za-z]*$/.test(stripped)) return false; // camelCase values: terminalInput, dashboardFocus
  return (stripped.match(/[A-Za-z]{2,}/g) ?? []).some((word) => !UNTRANSLATED.has(word));
}

/** @param {ts.Node} node @returns {string | undefined} the literal text (template pieces joined), or undefined */
function literalOf(node) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  return undefined;
}

/** @param {ts.Expression} expr */
function calleeName(expr) {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  return undefined;
}

/**
 * @param {string[]} files repo-relative, under src/vscode
 * @param {string} [root]
 * @returns {Array<{ file: string, line: number, text: string, where: string }>}
 */
export function findUnwrapped(files, root = REPO_ROOT) {
  /** @type {Array<{ file: string, line: number, text: string, where: string }>} */
  const found = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(path.join(root, file), 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    /** @param {ts.Node} node @param {string} where */
    const flag = (node, where) => {
      const text = literalOf(node);
      if (text !== undefined && isTexty(text)) {
        found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, text, where });
      }
    };
    /** @param {ts.Node} node */
    const visit = (node) => {
      if (ts.isCallExpression(node)) {
        const name = calleeName(node.expression);
        if (name && UI_CALLS.has(name)) for (const arg of node.arguments) flag(arg, `${name}() argument`);
        if (name && UI_CALLS.has(name)) {
          for (const arg of node.arguments) if (ts.isArrayLiteralExpression(arg)) for (const el of arg.elements) flag(el, `${name}() item`);
        }
      } else if (ts.isNewExpression(node)) {
        const name = calleeName(node.expression);
        if (name?.endsWith('TreeItem') && node.arguments?.[0]) flag(node.arguments[0], `new ${name}() label`);
      } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        if (ts.isPropertyAccessExpression(node.left) && TEXT_PROPS.has(node.left.name.text)) flag(node.right, `.${node.left.name.text} =`);
      } else if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && TEXT_PROPS.has(node.name.text)) {
        flag(node.initializer, `${node.name.text}:`);
      } else if (ts.isConditionalExpression(node) && isTextContext(node)) {
        flag(node.whenTrue, 'conditional text');
        flag(node.whenFalse, 'conditional text');
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** A `cond ? 'a' : 'b'` directly under a text property or UI call argument. @param {ts.Node} node */
function isTextContext(node) {
  const parent = node.parent;
  if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return TEXT_PROPS.has(parent.name.text);
  if (ts.isBinaryExpression(parent) && ts.isPropertyAccessExpression(parent.left)) return TEXT_PROPS.has(parent.left.name.text);
  if (ts.isCallExpression(parent)) {
    const name = calleeName(parent.expression);
    return name !== undefined && UI_CALLS.has(name);
  }
  return false;
}
