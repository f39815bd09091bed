import { RemoteGpuError } from '../errors';
import type { ExecResult, RemoteCommand } from '../remote/remoteCommand';
import { t } from '../../shared/l10n';

const SMI_TIMESTAMP = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;

/**
 * nvidia-smi's `YYYY/MM/DD HH:MM:SS.mmm` → epoch ms.
 *
 * The text is the GPU host's local wall-clock time with no zone, so the caller passes that host's UTC offset
 * (minutes east of UTC, as `date +%z` reports it: +60 for CET, -300 for EST; cloud images usually run in UTC, 0).
 * Guessing from our own zone would be wrong whenever the laptop and the server differ, which is the normal case.
 * Around a DST change the offset read at connect time is off by an hour until the adapter re-reads it on reconnect;
 * history and staleness therefore use the local receive clock, and this timestamp only groups rows into ticks and
 * measures latency. Undefined when the text is not such a timestamp or names an impossible date.
 */
export function parseSmiTimestamp(text: string, utcOffsetMinutes: number): number | undefined {
  // Every GPU row of one tick carries the same timestamp text: remember the last answer (a pure function's memo).
  if (text === memo.text && utcOffsetMinutes === memo.offset) return memo.value;
  const value = parseUncached(text, utcOffsetMinutes);
  memo.text = text;
  memo.offset = utcOffsetMinutes;
  memo.value = value;
  return value;
}

const memo: { text: string | undefined; offset: number; value: number | undefined } = { text: undefined, offset: 0, value: undefined };

function parseUncached(text: string, utcOffsetMinutes: number): number | undefined {
  const m = SMI_TIMESTAMP.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(utc);
  // Date.UTC rolls 2026/02/31 over into March; a real nvidia-smi never prints that, so refuse rather than shift.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  return utc - utcOffsetMinutes * 60_000;
}

const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/** `date +%z` output (`+0100`, `-0530`) → minutes east of UTC; undefined when it is not an offset. */
export function parseUtcOffset(text: string): number | undefined {
  const m = OFFSET.exec(text.trim());
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (minutes > 14 * 60) return undefined;
  return m[1] === '-' ? -minutes : minutes;
}

/** The GPU host's UTC offset, which parseSmiTimestamp needs. */
export const utcOffsetCommand: RemoteCommand<number> = {
  argv: ['date', '+%z'],
  parse: (result: ExecResult) => {
    const offset = result.code === 0 ? parseUtcOffset(result.stdout) : undefined;
    if (offset === undefined) {
      throw new RemoteGpuError('invalidResponse', t('Could not read the time zone of the host.'), `exit=${result.code} stdout=${result.stdout.slice(0, 100)}`);
    }
    return offset;
  },
};
