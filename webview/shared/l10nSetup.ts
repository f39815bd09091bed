// Imported FIRST by each webview entry (main.ts): ES modules run in import order, so the translator and the locale
// are in place before any other module builds its labels (several keep them in module-level constants).
//
// The host writes the dictionary into the page as `<script type="application/json" id="remote-gpu-l10n">` (data, not
// code: the CSP's nonce rule does not apply and nothing executes). It is validated like every message from the host;
// anything wrong leaves the webview in English rather than half-translated.
import { dictionaryTranslator, setTranslator } from '../../src/shared/l10n';
import { setDisplayLocale } from '../../src/shared/localeFormat';
import { L10N_ELEMENT_ID, parseWebviewL10n } from '../../src/shared/webviewStrings';

const data = parseWebviewL10n(document.getElementById(L10N_ELEMENT_ID)?.textContent ?? '');
if (data) {
  setTranslator(dictionaryTranslator(data.messages));
  setDisplayLocale(data.locale);
}
