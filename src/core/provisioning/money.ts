import type { Micros } from '../providers/money';

/** "$1.29" from micro-dollars; cents are enough for a price list, and rounding happens only here, for display. */
export function formatUsd(micros: Micros): string {
  return `$${(micros / 1_000_000).toFixed(2)}`;
}

export function formatPerHour(micros: Micros): string {
  return `${formatUsd(micros)}/h`;
}

/** A day of running at an hourly rate: integer micros times 24, exact. */
export function perDay(microsPerHour: Micros): Micros {
  return microsPerHour * 24;
}
