// @ts-check

/** @typedef {{ startMs: number, speedup: number }} SimClock */

/**
 * Real driver timestamps are local wall-clock time, `YYYY/MM/DD HH:MM:SS.mmm`.
 * @param {number} epochMs
 * @returns {string}
 */
export function formatTimestamp(epochMs) {
  const d = new Date(epochMs);
  const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
  const date = `${d.getFullYear()}/${two(d.getMonth() + 1)}/${two(d.getDate())}`;
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
  return `${date} ${time}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The table's first line is asctime(3) style: the day of month is space-padded, not zero-padded.
 * @param {number} epochMs
 * @returns {string}
 */
export function formatAscTime(epochMs) {
  const d = new Date(epochMs);
  const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${time} ${d.getFullYear()}`;
}

/**
 * Where in the looped trace a GPU is now. Each GPU is shifted by a fixed phase so that several GPUs
 * never show the same numbers, and GPU i looks the same whatever the GPU count.
 * @param {SimClock} clock
 * @param {number} nowMs
 * @param {number} gpuIndex
 * @param {number} durationMs
 * @returns {number}
 */
export function tracePosition(clock, nowMs, gpuIndex, durationMs) {
  const phaseMs = gpuIndex * 23_000;
  const raw = (nowMs - clock.startMs) * clock.speedup + phaseMs;
  return ((raw % durationMs) + durationMs) % durationMs;
}
