// The zh-CN interface stays complete: every string the code translates has a Chinese entry with the same
// placeholders, every manifest %key% exists in both languages, and src/vscode hands no bare English to a UI surface.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extract, readBundle, REPO_ROOT, sourceFiles } from '../../../scripts/l10n/extract.mjs';
import { findUnwrapped, isTexty } from '../../../scripts/l10n/unwrapped.mjs';
import { placeholdersOf } from '../../../src/shared/l10n';
import { WEBVIEW_MESSAGES } from '../../../src/shared/webviewStrings';

const files = sourceFiles();
const { messages, nonLiteral } = extract(files);
const zh = readBundle('zh-cn');
const readJson = (name: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(REPO_ROOT, name), 'utf8'));
const where = (key: string) => messages.get(key)?.map((p) => `${p.file}:${p.line}`).join(', ') ?? '';
const CJK = /[\u3400-\u9fff]/;

/** The `%key%` references anywhere in package.json (titles, descriptions, view names, walkthroughs...). */
function manifestKeys(): string[] {
  const text = readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8');
  return [...new Set([...text.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1] ?? ''))].sort();
}

describe('l10n bundles', () => {
  it('finds the strings (the scan is not empty)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(messages.size).toBeGreaterThan(100);
  });

  it('every translated string in code has a zh-CN entry', () => {
    const missing = [...messages.keys()].filter((k) => typeof zh[k] !== 'string' || zh[k] === '');
    expect(missing.map((k) => `${JSON.stringify(k)} (${where(k)})`), 'run `npm run l10n:extract -- --missing`').toEqual([]);
  });

  it('zh-CN entries read as Chinese where the source has words to translate', () => {
    // Terms Chinese ML developers use as they are.
    const keptInEnglish = new Set(['logits']);
    const english = Object.entries(zh).filter(([k, v]) => isTexty(k.replace(/\{\d+\}/g, '')) && !CJK.test(v) && !keptInEnglish.has(k));
    expect(english.map(([k]) => k)).toEqual([]);
  });

  it('zh-CN translations keep exactly the placeholders of their source', () => {
    const broken = Object.entries(zh).filter(([k, v]) => placeholdersOf(k).join() !== placeholdersOf(v).join());
    expect(broken.map(([k, v]) => `${k} → ${v}`)).toEqual([]);
  });

  it('the zh-CN bundle has no entries the code no longer uses', () => {
    expect(Object.keys(zh).filter((k) => !messages.has(k))).toEqual([]);
  });

  it('l10n/bundle.l10n.json is the current extraction', () => {
    const expected = Object.fromEntries([...messages.keys()].sort().map((k) => [k, k]));
    expect(readBundle(''), 'run `npm run l10n:extract`').toEqual(expected);
  });

  it('every t() message is a literal, so it can be extracted', () => {
    // The only non-literal calls allowed: the wiring that forwards a message it was given.
    const allowed = new Set(['src/vscode/dashboard/webviewL10n.ts', 'src/vscode/extension.ts']);
    expect(nonLiteral.filter((p) => !allowed.has(p.file)).map((p) => `${p.file}:${p.line}`)).toEqual([]);
  });

  it('every webview string is in the dictionary the host sends (WEBVIEW_MESSAGES)', () => {
    const sent = new Set<string>(WEBVIEW_MESSAGES);
    const webviewKeys = [...messages].filter(([, places]) => places.some((p) => p.file.startsWith('webview/'))).map(([k]) => k);
    expect(webviewKeys.length).toBeGreaterThan(10);
    expect(webviewKeys.filter((k) => !sent.has(k))).toEqual([]);
    expect(WEBVIEW_MESSAGES.filter((k) => !messages.has(k)), 'sent but never used').toEqual([]);
  });

  it('package.json names the l10n folder', () => {
    expect(readJson('package.json').l10n).toBe('./l10n');
  });

  it('every %key% of package.json is in package.nls.json and package.nls.zh-cn.json', () => {
    const en = readJson('package.nls.json');
    const zhNls = readJson('package.nls.zh-cn.json');
    const keys = manifestKeys();
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((k) => typeof en[k] !== 'string'), 'package.nls.json').toEqual([]);
    expect(keys.filter((k) => typeof zhNls[k] !== 'string' || zhNls[k] === ''), 'package.nls.zh-cn.json').toEqual([]);
    expect(Object.keys(zhNls).filter((k) => !(k in en)), 'zh-cn keys unknown to package.nls.json').toEqual([]);
    const english = Object.entries(zhNls).filter(([k, v]) => isTexty(String(en[k] ?? '')) && !CJK.test(String(v)));
    expect(english.map(([k]) => k), 'still English in package.nls.zh-cn.json').toEqual([]);
  });

  it('every user-facing string of the manifest is a %key% (product names aside)', () => {
    const texty = new Set(['title', 'description', 'markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions', 'label', 'contents', 'shortTitle', 'deprecationMessage', 'markdownDeprecationMessage', 'name']);
    const bare: string[] = [];
    const walk = (value: unknown, where: string[]): void => {
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...where, String(i)]));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...where, k]);
      else if (typeof value === 'string') {
        const key = [...where].reverse().find((w) => !/^\d+$/.test(w)) ?? '';
        if (texty.has(key) && !/^%[^%]+%$/.test(value) && value !== 'Remote GPU') bare.push(`${where.join('.')}: ${value}`);
      }
    };
    walk(readJson('package.json').contributes, ['contributes']);
    expect(bare).toEqual([]);
  });

  it('src/vscode passes no bare English literal to a UI surface', () => {
    const vscodeFiles = files.filter((f) => f.startsWith('src/vscode/'));
    expect(findUnwrapped(vscodeFiles).map((u) => `${u.file}:${u.line} ${u.where} ${JSON.stringify(u.text)}`)).toEqual([]);
  });
});
