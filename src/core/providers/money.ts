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

/** A day of running at an hourly rate: integer micros times 24, exact. */
export function perDay(microsPerHour: Micros): Micros {
  return microsPerHour * 24;
}
