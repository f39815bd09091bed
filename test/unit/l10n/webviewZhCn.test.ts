// @vitest-environment happy-dom
// The webview's translation path without a browser: the host's dictionary in the page, l10nSetup imported first (as
// each entry's main.ts does), then the dashboard app renders Chinese, module-level labels included.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setTranslator } from '../../../src/shared/l10n';
import { setDisplayLocale } from '../../../src/shared/localeFormat';
import { embedJson, L10N_ELEMENT_ID, WEBVIEW_MESSAGES } from '../../../src/shared/webviewStrings';
import { fakeCharts, makeSnapshot } from '../webview/fixtures';

// vitest runs from the repository root (happy-dom's import.meta.url is not a file URL).
const zh: Record<string, string> = JSON.parse(readFileSync(path.join(process.cwd(), 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8'));

/** What the host writes into the page for zh-cn (src/vscode/dashboard/webviewL10n.ts, with the bundle as vscode.l10n). */
function putDictionary(json: string): void {
  const script = document.createElement('script');
  script.type = 'application/json';
  script.id = L10N_ELEMENT_ID;
  script.textContent = json;
  document.body.replaceChildren(script);
}

afterEach(() => {
  setTranslator(undefined);
  setDisplayLocale(undefined);
  vi.resetModules();
});

describe('webview in zh-cn', () => {
  it('renders the dashboard in Chinese when l10nSetup runs before the app modules', async () => {
    putDictionary(embedJson({ locale: 'zh-cn', messages: Object.fromEntries(WEBVIEW_MESSAGES.map((m) => [m, zh[m] ?? m])) }));
    vi.resetModules();
    await import('../../../webview/shared/l10nSetup');
    const { DashboardApp } = await import('../../../webview/dashboard/dashboardApp');
    const root = document.createElement('div');
    document.body.append(root);
    const app = new DashboardApp(document, root, { post: () => undefined, createChart: fakeCharts().factory });
    app.render(makeSnapshot());
    const text = root.textContent ?? '';
    for (const english of ['Utilisation', 'Temperature', 'Open Terminal', 'Processes']) {
      expect(text).toContain(zh[english]);
      expect(text).not.toContain(english);
    }
  });

  it('stays English when the page has no valid dictionary', async () => {
    putDictionary('{"locale":"zh-cn","messages":"not a record"}');
    vi.resetModules();
    await import('../../../webview/shared/l10nSetup');
    const { DashboardApp } = await import('../../../webview/dashboard/dashboardApp');
    const root = document.createElement('div');
    document.body.append(root);
    new DashboardApp(document, root, { post: () => undefined, createChart: fakeCharts().factory }).render(makeSnapshot());
    expect(root.textContent).toContain('Utilisation');
  });
});
