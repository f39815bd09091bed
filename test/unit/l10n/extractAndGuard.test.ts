// The extraction and the unwrapped-text guard on small sources written here, so the bundle test cannot pass by
// seeing nothing.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extract } from '../../../scripts/l10n/extract.mjs';
import { findUnwrapped, isTexty } from '../../../scripts/l10n/unwrapped.mjs';
import { dictionaryTranslator, formatMessage, placeholdersOf, setTranslator, t } from '../../../src/shared/l10n';

function sources(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'l10n-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('extract', () => {
  it('reads t(), l10n.t(), vscode.l10n.t() and { message, comment }, across lines and escapes', () => {
    const root = sources({
      'src/a.ts': [
        "import { t } from '../shared/l10n';",
        "const a = t('Stop {0}?', name);",
        'const b = vscode.l10n.t(',
        "  'It\\'s {0} GPUs',",
        '  n,',
        ');',
        'const c = l10n.t(`Plain template`);',
        "const d = vscode.l10n.t({ message: 'With comment', comment: ['for translators'] });",
        'const e = t(variable);',
        "const f = other.t('not ours');",
      ].join('\n'),
    });
    const { messages, nonLiteral } = extract(['src/a.ts'], root);
    expect([...messages.keys()].sort()).toEqual(["It's {0} GPUs", 'Plain template', 'Stop {0}?', 'With comment/for translators']);
    expect(messages.get("It's {0} GPUs")).toEqual([{ file: 'src/a.ts', line: 3 }]);
    expect(nonLiteral).toEqual([{ file: 'src/a.ts', line: 9 }]);
  });
});

describe('findUnwrapped', () => {
  it('reports English handed straight to message boxes, pickers, tree items and text properties', () => {
    const root = sources({
      'src/vscode/x.ts': [
        "void vscode.window.showErrorMessage('Could not connect.');",
        "void vscode.window.showWarningMessage(vscode.l10n.t('Fine.'), 'Retry');",
        "const item = new vscode.TreeItem('SSH Hosts');",
        "item.tooltip = 'Click to retry';",
        "const pick = { label: '$(add) Add host', description: vscode.l10n.t('ok') };",
        "status.text = '$(pulse) 42 %';",
        "const q = { placeHolder: ok ? 'Pick one' : vscode.l10n.t('Fine') };",
        "const id = { title: 'remoteGpu.openDashboard' };",
      ].join('\n'),
    });
    const found = findUnwrapped(['src/vscode/x.ts'], root).map((u) => [u.line, u.text]);
    expect(found).toEqual([
      [1, 'Could not connect.'],
      [2, 'Retry'],
      [3, 'SSH Hosts'],
      [4, 'Click to retry'],
      [5, '$(add) Add host'],
      [7, 'Pick one'],
    ]);
  });

  it('leaves codicons, numbers, ids, units and product names alone', () => {
    for (const text of ['$(pulse)', '42 %', 'remoteGpu.refresh', 'GPU 0', 'MiB', 'RunPod', 'TensorBoard']) expect(isTexty(text), text).toBe(false);
    expect(isTexty('Open Terminal')).toBe(true);
  });
});

describe('t (src/shared/l10n)', () => {
  it('formats the English source when no translator is set', () => {
    setTranslator(undefined);
    expect(t('{0} of {1} GPUs, {0} again, {2} stays', 1, 'eight')).toBe('1 of eight GPUs, 1 again, {2} stays');
    expect(formatMessage('no args {0}', [])).toBe('no args {0}');
  });

  it('goes through the translator once one is set, and a dictionary falls back to English', () => {
    setTranslator(dictionaryTranslator({ 'Stop {0}?': '停止 {0}？' }));
    try {
      expect(t('Stop {0}?', 'h100')).toBe('停止 h100？');
      expect(t('Unknown {0}', 'x')).toBe('Unknown x');
      expect(t('toString')).toBe('toString');
    } finally {
      setTranslator(undefined);
    }
  });

  it('lists placeholders as a set', () => {
    expect(placeholdersOf('{1} and {0} and {1}')).toEqual(['{0}', '{1}']);
  });
});
