// @ts-check

/** @typedef {import('./query.mjs').CsvFormat} CsvFormat */
/**
 * @typedef {{ kind: 'table' } | { kind: 'list' } | { kind: 'version' } | { kind: 'usage' }
 *   | { kind: 'helpQuery', file: string }
 *   | { kind: 'query', target: 'gpu' | 'apps', list: string, format: CsvFormat }} Action
 */
/** @typedef {{ action: Action, loopMs: number | undefined, ids: string[] | undefined }} Invocation */
/** @typedef {{ ok: true, invocation: Invocation } | { ok: false, reason: string }} ParsedArgs */

/** @type {Record<string, Action>} */
const FLAGS = {
  '-L': { kind: 'list' }, '--list-gpus': { kind: 'list' }, '--version': { kind: 'version' },
  '-h': { kind: 'usage' }, '--help': { kind: 'usage' },
  '--help-query-gpu': { kind: 'helpQuery', file: 'help-query-gpu.txt' },
  '--help-query-compute-apps': { kind: 'helpQuery', file: 'help-query-apps.txt' },
};
const VALUED = new Set(['--query-gpu', '--query-compute-apps', '--format', '--loop', '--loop-ms', '--id', '-lms', '-i']);
const LOOP_SECONDS_DEFAULT = 5;

/**
 * @param {string} text
 * @returns {CsvFormat | undefined}
 */
function parseFormat(text) {
  const parts = text.split(',').map((p) => p.trim());
  if (!parts.includes('csv') || parts.some((p) => !['csv', 'noheader', 'nounits'].includes(p))) return undefined;
  return { header: !parts.includes('noheader'), units: !parts.includes('nounits') };
}

/**
 * @param {string | undefined} text
 * @returns {number | undefined}
 */
function positiveInt(text) {
  return text !== undefined && /^\d+$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}

/**
 * Splits argv into option -> value, accepting both `--opt=value` and `--opt value` as the driver does.
 * @param {string[]} argv
 * @returns {{ ok: true, options: Map<string, string> } | { ok: false, reason: string }}
 */
function tokenize(argv) {
  /** @type {Map<string, string>} */
  const options = new Map();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const name = eq > 0 ? token.slice(0, eq) : token;
    if (eq > 0) {
      if (!VALUED.has(name)) return { ok: false, reason: `Option "${name}" takes no value.` };
      options.set(name, token.slice(eq + 1));
    } else if (VALUED.has(name)) {
      const value = argv[++i];
      if (value === undefined) return { ok: false, reason: `Option "${name}" requires a value.` };
      options.set(name, value);
    } else if (name === '-l') {
      // The driver's -l takes an optional number of seconds.
      const next = argv[i + 1];
      const hasValue = next !== undefined && /^\d+$/.test(next);
      options.set('-l', hasValue ? next : String(LOOP_SECONDS_DEFAULT));
      if (hasValue) i++;
    } else if (FLAGS[name]) {
      options.set(name, '');
    } else {
      return { ok: false, reason: `Unknown option "${token}".` };
    }
  }
  return { ok: true, options };
}

/**
 * @param {Map<string, string>} options
 * @returns {{ ok: true, loopMs: number | undefined } | { ok: false, reason: string }}
 */
function loopInterval(options) {
  const seconds = options.get('-l') ?? options.get('--loop');
  const millis = options.get('-lms') ?? options.get('--loop-ms');
  if (seconds !== undefined && millis !== undefined) return { ok: false, reason: 'Choose one of -l and -lms.' };
  if (seconds !== undefined) {
    const n = positiveInt(seconds);
    return n === undefined ? { ok: false, reason: `Invalid loop interval "${seconds}".` } : { ok: true, loopMs: n * 1000 };
  }
  if (millis !== undefined) {
    const n = positiveInt(millis);
    return n === undefined ? { ok: false, reason: `Invalid loop interval "${millis}".` } : { ok: true, loopMs: n };
  }
  return { ok: true, loopMs: undefined };
}

/**
 * @param {string[]} argv arguments after the program name
 * @returns {ParsedArgs}
 */
export function parseArgs(argv) {
  const tokens = tokenize(argv);
  if (!tokens.ok) return tokens;
  const { options } = tokens;
  /** @type {Action[]} */
  const actions = [...options.keys()].flatMap((name) => (FLAGS[name] ? [FLAGS[name]] : []));
  for (const [name, target] of /** @type {const} */ ([['--query-gpu', 'gpu'], ['--query-compute-apps', 'apps']])) {
    const list = options.get(name);
    if (list === undefined) continue;
    const formatText = options.get('--format');
    if (formatText === undefined) return { ok: false, reason: `Option "--format" is required with "${name}".` };
    const format = parseFormat(formatText);
    if (!format) return { ok: false, reason: `"${formatText}" is not a valid value for "--format".` };
    actions.push({ kind: 'query', target, list, format });
  }
  if (actions.length > 1) return { ok: false, reason: 'Only one report can be asked for at a time.' };
  if (options.has('--format') && actions[0]?.kind !== 'query') return { ok: false, reason: '"--format" needs a query.' };
  const loop = loopInterval(options);
  if (!loop.ok) return loop;
  const idText = options.get('-i') ?? options.get('--id');
  const ids = idText === undefined ? undefined : idText.split(',').map((id) => id.trim());
  return { ok: true, invocation: { action: actions[0] ?? { kind: 'table' }, loopMs: loop.loopMs, ids } };
}
