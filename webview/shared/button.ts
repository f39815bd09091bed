import { el } from './dom';

/**
 * A @vscode-elements button (focusable, Enter/Space activate it, themed by VS Code's button variables) with a
 * codicon; the icon needs the page's codicon stylesheet (webview/README.md, page contract).
 */
export function button(doc: Document, label: string, icon: string, secondary: boolean): HTMLElement {
  const b = el(doc, 'vscode-button', { text: label, attrs: { icon } });
  if (secondary) b.setAttribute('secondary', '');
  return b;
}
