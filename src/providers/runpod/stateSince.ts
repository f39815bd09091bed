import type { InstanceState } from '../../core/providers/instance';
import { plausibleStateSince } from '../../core/providers/instance';
import type { RunPodPod } from './schemas';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * JavaScript's Date#toString as RunPod prints it after the verb: "Fri Aug 21 2026 09:20:11 GMT+0000 (...)". Matched
 * strictly (Date.parse accepts nearly anything, "1" included, and its leniency differs between engines).
 */
const STATUS_CHANGE = /^([A-Za-z ]{1,40}):\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) (\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT([+-])(\d{2})(\d{2})(?:\s|$)/;
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** The state a lastStatusChange verb says the pod went to; undefined for a verb we have not seen. */
function verbState(verb: string): 'running' | 'stopped' | 'terminated' | undefined {
  if (/^(rented|resumed|started|restarted|reset)\b/i.test(verb)) return 'running';
  if (/^(exited|stopped|paused)\b/i.test(verb)) return 'stopped';
  if (/^terminated\b/i.test(verb)) return 'terminated';
  return undefined;
}

/** Date.UTC that refuses out-of-range parts (Date.UTC rolls 31 Feb over into March). */
function utc(y: number, mo: number, d: number, h: number, mi: number, s: number): number | undefined {
  const ms = Date.UTC(y, mo, d, h, mi, s);
  const back = new Date(ms);
  const ok = back.getUTCFullYear() === y && back.getUTCMonth() === mo && back.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
  return ok ? ms : undefined;
}

function offsetMs(sign: string | undefined, hh: string | undefined, mm: string | undefined): number {
  if (!sign) return 0;
  return (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm)) * 60_000;
}

/** v1's lastStatusChange: the verb and the time, or undefined for anything else. */
export function parseLastStatusChange(text: unknown): { verb: string; at: number } | undefined {
  if (typeof text !== 'string' || text.length > 200) return undefined;
  const m = STATUS_CHANGE.exec(text);
  if (!m) return undefined;
  const [, verb = '', mon = '', d, y, h, mi, s, sign, oh, om] = m;
  const month = MONTHS.indexOf(mon);
  if (month < 0) return undefined;
  const at = utc(Number(y), month, Number(d), Number(h), Number(mi), Number(s));
  return at === undefined ? undefined : { verb: verb.trim(), at: at - offsetMs(sign, oh, om) };
}

/** v2's startedAt ("2026-08-21T09:20:11Z"), strictly ISO 8601 with a zone. */
export function parseIsoTime(text: unknown): number | undefined {
  if (typeof text !== 'string' || text.length > 40) return undefined;
  const m = ISO_UTC.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, sign, oh, om] = m;
  const at = utc(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return at === undefined ? undefined : at - offsetMs(sign, oh, om);
}

/**
 * When the pod entered its current state. v2 says when a running pod started (`startedAt`); v1 and GraphQL say when
 * and how the status last changed (`lastStatusChange`), which also dates a stop. A verb that contradicts the state
 * (a "Rented" change on an EXITED pod: the text is older than the stop) is not believed.
 */
export function runpodStateSince(pod: RunPodPod, state: InstanceState, now: number, createdAt: number | undefined): number | undefined {
  const live = state === 'running' || state === 'booting';
  const started = live ? parseIsoTime(pod.startedAt) : undefined;
  if (started !== undefined) return plausibleStateSince(started, now, createdAt);
  const change = parseLastStatusChange(pod.lastStatusChange);
  if (!change) return undefined;
  const said = verbState(change.verb);
  const agrees = said === undefined || (said === 'running' ? live : said === state);
  return agrees ? plausibleStateSince(change.at, now, createdAt) : undefined;
}
