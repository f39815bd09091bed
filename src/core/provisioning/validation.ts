import type { Micros } from '../providers/money';
import { t } from '../../shared/l10n';

/** "2.50", "$2.5", "3" → micro-dollars; undefined for empty or anything that is not a non-negative amount. */
export function dollarsInputToMicros(text: string): Micros | undefined {
  const amount = text.trim().replace(/^\$/, '');
  if (!/^\d+(\.\d{1,6})?$/.test(amount)) return undefined;
  return Math.round(Number(amount) * 1_000_000);
}

/**
 * Instance names travel to four providers and into SSH config aliases: letters, digits, dot, dash and underscore,
 * starting with a letter or digit, at most 64 characters (the shortest provider limit).
 */
export function validateInstanceName(name: string): string | undefined {
  if (name.length === 0) return t('Give the instance a name.');
  if (name.length > 64) return t('At most {0} characters.', 64);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return t('Use letters, digits, ".", "-" and "_", starting with a letter or digit.');
  return undefined;
}

/** "rgpu-h100-sxm-1123-1109": the GPU model and the UTC date and time, so two launches a minute apart differ. */
export function defaultInstanceName(gpuModel: string, now: number): string {
  const slug = gpuModel.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 30) || 'gpu';
  const d = new Date(now);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `rgpu-${slug}-${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}-${two(d.getUTCHours())}${two(d.getUTCMinutes())}`;
}

export const DISK_MIN_GIB = 10;
export const DISK_MAX_GIB = 4096;

export function validateDiskGiB(text: string): string | undefined {
  const digits = text.trim();
  if (!/^\d+$/.test(digits)) return t('Enter a whole number of GB.');
  const n = Number(digits);
  if (n < DISK_MIN_GIB || n > DISK_MAX_GIB) return t('Between {0} and {1} GB.', DISK_MIN_GIB, DISK_MAX_GIB);
  return undefined;
}

/** The name a public key gets when uploaded: its comment where that is a usable name, else one from its material. */
export function uploadKeyName(publicKey: string, comment: string): string {
  const fromComment = comment.replace(/[^A-Za-z0-9._@-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);
  if (fromComment) return `remote-gpu-${fromComment}`;
  const blob = publicKey.trim().split(/\s+/)[1] ?? '';
  return `remote-gpu-${blob.slice(-8).replace(/[^A-Za-z0-9]/g, 'x')}`;
}
