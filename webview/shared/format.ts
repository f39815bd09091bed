/**
 * Number formatting for the dashboard and the monitor. Every function takes `undefined`/`null` as "no value" and
 * returns NO_VALUE: an absent reading ([N/A], not supported) must never look like a reading of 0.
 */
import { formatDecimal } from '../../src/shared/localeFormat';
import { t } from '../../src/shared/l10n';

export const NO_VALUE = '–';

type Maybe = number | null | undefined;

function has(v: Maybe): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export function formatPercent(v: Maybe): string {
  return has(v) ? `${formatDecimal(Math.round(v), 0)} %` : NO_VALUE;
}

/** nvidia-smi reports MiB; people think of GPU memory in GiB (an "80 GB" card is 79.6 GiB). */
export function formatGiB(mib: Maybe): string {
  return has(mib) ? `${gib(mib)} GiB` : NO_VALUE;
}

function gib(mib: number): string {
  const g = mib / 1024;
  return g >= 100 ? formatDecimal(g, 0) : formatDecimal(g, 1);
}

/** "12.3 / 79.6 GiB"; a missing side is a dash on its own, so a known total still shows. */
export function formatMemory(usedMiB: Maybe, totalMiB: Maybe): string {
  if (!has(usedMiB) && !has(totalMiB)) return NO_VALUE;
  return `${has(usedMiB) ? gib(usedMiB) : NO_VALUE} / ${has(totalMiB) ? gib(totalMiB) : NO_VALUE} GiB`;
}

export function formatWatts(v: Maybe): string {
  return has(v) ? `${formatDecimal(Math.round(v), 0)} W` : NO_VALUE;
}

export function formatPower(drawW: Maybe, limitW: Maybe): string {
  if (!has(drawW) && !has(limitW)) return NO_VALUE;
  return `${has(drawW) ? formatDecimal(Math.round(drawW), 0) : NO_VALUE} / ${has(limitW) ? formatDecimal(Math.round(limitW), 0) : NO_VALUE} W`;
}

export function formatCelsius(v: Maybe): string {
  return has(v) ? `${formatDecimal(Math.round(v), 0)} °C` : NO_VALUE;
}

export function formatMHz(v: Maybe): string {
  return has(v) ? `${formatDecimal(Math.round(v), 0)} MHz` : NO_VALUE;
}

/** A short age or delay: "4 s", "2 min 5 s", "3 h 12 min". Rounded up so "retry in 0 s" never shows while waiting. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return t('{0} s', s);
  const min = Math.floor(s / 60);
  if (min < 60) return s % 60 === 0 ? t('{0} min', min) : t('{0} min {1} s', min, s % 60);
  const h = Math.floor(min / 60);
  return min % 60 === 0 ? t('{0} h', h) : t('{0} h {1} min', h, min % 60);
}
