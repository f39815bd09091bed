import * as vscode from 'vscode';
import { embedJson, WEBVIEW_MESSAGES, type WebviewL10n } from '../../shared/webviewStrings';

/**
 * The dictionary a webview translates with: every webview string in the display language. `vscode.l10n.t` without
 * arguments returns the template with its `{0}` placeholders intact; the webview fills them in itself.
 */
export function webviewL10n(): WebviewL10n {
  return {
    locale: vscode.env.language,
    messages: Object.fromEntries(WEBVIEW_MESSAGES.map((message) => [message, vscode.l10n.t(message)])),
  };
}

/** The dictionary as page text for `<script type="application/json">` (data only: never executed, CSP unaffected). */
export function webviewL10nJson(): string {
  return embedJson(webviewL10n());
}
