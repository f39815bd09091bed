/**
 * Reads a Retry-After header: delay-seconds ("120") or an HTTP date ("Wed, 21 Oct 2026 07:28:00 GMT").
 * Returns milliseconds from `nowMs`, never negative; undefined when absent or unreadable, so the caller falls
 * back to its own backoff.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Date.parse is lenient; only accept strings that look like an HTTP date to avoid reading "1.5" as a year.
  if (!/[A-Za-z]{3},? /.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
