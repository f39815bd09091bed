/**
 * The translator port for code that cannot import `vscode`: src/core, src/remote, src/providers and the webview.
 *
 * Those layers build user-facing text (error messages, wizard and advisor labels, lifecycle wording, dashboard text)
 * but must stay free of `vscode`. They call `t('English source {0}', arg)`; the English string is the key, exactly as
 * with `vscode.l10n.t`, so one extraction (`npm run l10n:extract`) and one bundle (`l10n/bundle.l10n.<lang>.json`)
 * cover every layer.
 *
 * Why a module-level translator instead of passing it to every constructor: messages are made deep inside pure
 * functions (an error thrown by a parser, a label in a wizard step) and threading a port through all of them would
 * touch every signature for a value that is the same for the whole process. It is set exactly once, by the
 * composition root (`src/vscode/extension.ts`: `setTranslator(vscode.l10n.t)`) or by the webview's bootstrap (a
 * dictionary the host sent); until then, and in unit tests, `t` formats the English source itself.
 */

/** Looks a message up and fills its `{0}`, `{1}`... placeholders. */
export type Translator = (message: string, args: readonly L10nArg[]) => string;
export type L10nArg = string | number | boolean;

let translator: Translator | undefined;

/** Points `t` at the display language. Called once per process; `undefined` goes back to English (tests). */
export function setTranslator(next: Translator | undefined): void {
  translator = next;
}

/** The translated `message` with `{N}` replaced by `args[N]`. Never concatenate translated fragments: one sentence, one call. */
export function t(message: string, ...args: L10nArg[]): string {
  return translator ? translator(message, args) : formatMessage(message, args);
}

/** `{N}` → `String(args[N])`; a placeholder without an argument stays as written (as vscode.l10n.t does). */
export function formatMessage(template: string, args: readonly L10nArg[]): string {
  if (args.length === 0) return template;
  return template.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? match : String(value);
  });
}

/** A translator over a ready dictionary (English source → translation), as the webview gets it from the host. */
export function dictionaryTranslator(messages: Readonly<Record<string, string>>): Translator {
  return (message, args) => formatMessage(Object.hasOwn(messages, message) ? (messages[message] ?? message) : message, args);
}

/** The `{N}` placeholders of a message, sorted: a translation must keep exactly the source's set. */
export function placeholdersOf(message: string): string[] {
  return [...new Set(message.match(/\{\d+\}/g) ?? [])].sort();
}
