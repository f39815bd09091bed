/**
 * Numbers, money and times for the display language, through `Intl`. Like the translator (./l10n.ts) the locale is
 * set once per process: by the composition root from `vscode.env.language`, and in a webview from what the host put
 * into the page. Until then (unit tests) it is English, so English output is what the tests have always seen.
 *
 * Units stay as the app writes them ("12.3 GiB", "98 %"); only the number inside follows the locale (decimal mark,
 * grouping). Money is always US dollars, the currency every provider bills in, shown with a plain "$".
 */

import { t } from './l10n';

const FALLBACK = 'en';
let locale = FALLBACK;
const cache = new Map<string, Intl.NumberFormat>();
let clock: Intl.DateTimeFormat | undefined;

/** `vscode.env.language` ("en", "zh-cn", ...); an unknown or invalid tag falls back to English. */
export function setDisplayLocale(tag: string | undefined): void {
  locale = tag && isSupported(tag) ? tag : FALLBACK;
  cache.clear();
  clock = undefined;
}

export function displayLocale(): string {
  return locale;
}

function isSupported(tag: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false; // RangeError: not a well-formed language tag
  }
}

function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

/**
 * A reading with a fixed count of decimals in the locale's digits and decimal mark ("12.5", "12,5"). No grouping:
 * readings are short, and "1980 MHz" reads better than "1,980 MHz" in a narrow card.
 */
export function formatDecimal(value: number, fractionDigits: number): string {
  return numberFormat(`d${fractionDigits}`, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits, useGrouping: false }).format(value);
}

/** US dollars: "$1.29"; `fractionDigits` more than 2 for sub-cent rates ("$0.0042"). */
export function formatDollars(dollars: number, fractionDigits = 2): string {
  return numberFormat(`usd${fractionDigits}`, {
    style: 'currency',
    currency: 'USD',
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(dollars);
}

/** Micro-dollars (integers, 1 USD = 1,000,000) under this show as "under $0.0001": 4 decimals would read "$0.0000", i.e. free. */
const SMALLEST_SHOWN_MICROS = 50;
const MICROS_PER_DOLLAR = 1_000_000;
const MICROS_PER_CENT = 10_000;

/**
 * The one way money is shown, on the host and in the webviews alike (tree, dashboard, status bar, price lists, budget
 * alerts): "$1.23" from integer micro-dollars, rounded only here. Amounts under a cent keep 4 decimals ("$0.0042") so
 * a cheap host is not "$0.00"; a tiny non-zero amount says so ("under $0.0001").
 */
export function formatUsd(micros: number): string {
  const size = Math.abs(micros);
  if (size !== 0 && size < SMALLEST_SHOWN_MICROS) return t('under {0}', formatDollars((SMALLEST_SHOWN_MICROS * 2) / MICROS_PER_DOLLAR, 4));
  return formatDollars(micros / MICROS_PER_DOLLAR, size !== 0 && size < MICROS_PER_CENT ? 4 : 2);
}

/** A rate in micro-dollars per hour: "$1.29/h". */
export function formatPerHour(micros: number): string {
  return t('{0}/h', formatUsd(micros));
}

/** A size in binary units with one decimal ("192.0 KiB", "3.6 GiB"); whole bytes below 1 KiB. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${formatDecimal(v, u === 0 ? 0 : 1)} ${units[u] ?? 'B'}`;
}

/** Hours and minutes of a time of day on the 24-hour clock ("14:05"), for chart axes. */
export function formatClock(ms: number): string {
  clock ??= new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return clock.format(ms);
}

/** A date and time in the locale's medium style ("Nov 23, 2026, 14:05" / "2026年11月23日 14:05"). */
export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(ms);
}
