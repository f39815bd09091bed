import type { Micros } from '../providers/money';
import { formatDollars } from '../../shared/localeFormat';
import { t } from '../../shared/l10n';

/** "$1.29" from micro-dollars; cents are enough for a price list, and rounding happens only here, for display. */
export function formatUsd(micros: Micros): string {
  return formatDollars(micros / 1_000_000);
}

export function formatPerHour(micros: Micros): string {
  return t('{0}/h', formatUsd(micros));
}

/** A day of running at an hourly rate: integer micros times 24, exact. */
export function perDay(microsPerHour: Micros): Micros {
  return microsPerHour * 24;
}
