import { t } from '../../shared/l10n';
import { formatDollars } from '../../shared/localeFormat';

/**
 * Money is integer micro-dollars (1 USD = 1,000,000): sums and per-second accruals stay exact, and a price is
 * rounded once, where a provider's own number enters the domain.
 */
export type Micros = number;

export const MICROS_PER_DOLLAR = 1_000_000;
const MICROS_PER_CENT = 10_000;

/** Lambda prices are integer US cents, so this conversion is exact. */
export function centsToMicros(cents: number): Micros {
  if (!Number.isInteger(cents) || cents < 0) throw new RangeError(`not a non-negative integer number of cents: ${cents}`);
  return cents * MICROS_PER_CENT;
}

/** Float dollars (RunPod, Vast) are rounded here, once; 0.69 * 1e6 is 690000.0000000001 before rounding. */
export function dollarsToMicros(dollars: number): Micros {
  if (!Number.isFinite(dollars) || dollars < 0) throw new RangeError(`not a non-negative amount of dollars: ${dollars}`);
  return Math.round(dollars * MICROS_PER_DOLLAR);
}

/** Per-GPU prices times a GPU count; both integers, so the product is exact. */
export function timesCount(micros: Micros, count: number): Micros {
  return micros * count;
}

/** Below this a 4-decimal amount would round to "$0.0000", which reads as free: it shows as "under $0.0001". */
const SMALLEST_SHOWN: Micros = 50;

/**
 * The one way money is shown (tree, dashboard, status bar, price lists, budget alerts): "$1.23", rounded only here.
 * Amounts under a cent keep 4 decimals ("$0.0042") so a cheap host is not "$0.00"; a tiny non-zero amount says so.
 */
export function formatUsd(micros: Micros): string {
  const size = Math.abs(micros);
  if (size !== 0 && size < SMALLEST_SHOWN) return t('under {0}', formatDollars(SMALLEST_SHOWN * 2 / MICROS_PER_DOLLAR, 4));
  return formatDollars(micros / MICROS_PER_DOLLAR, size !== 0 && size < MICROS_PER_CENT ? 4 : 2);
}

/** "$1.29/h". */
export function formatPerHour(micros: Micros): string {
  return t('{0}/h', formatUsd(micros));
}

/** A day of running at an hourly rate: integer micros times 24, exact. */
export function perDay(microsPerHour: Micros): Micros {
  return microsPerHour * 24;
}
