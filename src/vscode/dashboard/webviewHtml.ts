import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { L10N_ELEMENT_ID } from '../../shared/webviewStrings';
import { webviewL10nJson } from './webviewL10n';

/** The two browser apps built from webview/ into dist/webview. */
export type WebviewApp = 'dashboard' | 'monitor';

/** Where the built bundles live; also the only folder the webviews may load from (localResourceRoots). */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [webviewRoot(extensionUri)] };
}

/**
 * The page shell. The CSP allows scripts only with this page's nonce and loads nothing remote; styles allow
 * 'unsafe-inline' only because uPlot and lit set element styles (no inline script is ever allowed). Untrusted text
 * never reaches this HTML: it travels in validated messages and is rendered as text by the app. The translated strings
 * ride in a JSON data block (not a script the browser runs), escaped so that no "</script>" can end it.
 */
export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, app: WebviewApp, title: string): string {
  const nonce = randomBytes(18).toString('base64');
  const root = webviewRoot(extensionUri);
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(root, name)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeAttr(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeText(title)}</title>
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset(`${app}.css`)}">
</head>
<body data-app="${app}">
<div id="app"></div>
<script type="application/json" id="${L10N_ELEMENT_ID}">${webviewL10nJson()}</script>
<script type="module" nonce="${nonce}" src="${asset(`${app}.js`)}"></script>
</body>
</html>`;
}

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function escapeAttr(text: string): string {
  return escapeText(text);
}
