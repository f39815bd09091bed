import { describe, expect, it } from 'vitest';
import { accrualEntries, type ObservedBilling } from './accrual';
import { CostBook } from './costBook';
import { parseLedger, serializeEntry, type LedgerEntry } from './ledgerEntry';

// A gap (VS Code closed, or the minute between two rounds) is split at the provider's own time of a state change.
// Virtual time: every `now` is passed in; nothing here reads a clock.

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
const RUNNING = 2_000_000; // $2/h
const DISK = 10_000; // $0.01/h while stopped

const seen = (microsPerHour: number, stateSince?: number, provider = 'runpod', key = 'runpod:p1'): ObservedBilling => ({
  key, provider, name: 'trainer', rate: { microsPerHour, basis: 'running' }, createdAt: T0, ...(stateSince !== undefined ? { stateSince } : {}),
});

/** One round of the lease holder: accrue at `now`, append (here: fold), return what was written. */
function round(book: CostBook, now: number, observed: ObservedBilling[], listed = ['runpod', 'ec2']): LedgerEntry[] {
  const lines = accrualEntries(book, { observed, listedProviders: new Set(listed), now, writer: 'w' });
  book.add(lines);
  return lines;
}

/** A book whose last line, at T0 + 1 h, says the instance bills `rate` from then on. */
function seenRunningUntil(rate = RUNNING): { book: CostBook; written: LedgerEntry[] } {
  const book = new CostBook();
  const written = [...round(book, T0, [seen(rate)]), ...round(book, T0 + H, [seen(rate)])];
  return { book, written };
}

describe('a gap split at the provider-dated state change', () => {
  it('stop while VS Code was closed: running until the stop, the stopped rate after', () => {
    const { book } = seenRunningUntil();
    // Closed at T0+1h; the pod was stopped at T0+3h (console, watchdog); VS Code opens at T0+11h.
    const lines = round(book, T0 + 11 * H, [seen(DISK, T0 + 3 * H)]);
    expect(lines.map((l) => [l.from, l.to, l.rate, l.rateAfter])).toEqual([
      [T0 + H, T0 + 3 * H, RUNNING, DISK],
      [T0 + 3 * H, T0 + 11 * H, DISK, DISK],
    ]);
    expect(book.totalFor('runpod:p1', T0 + 11 * H)).toBe(3 * RUNNING + 8 * DISK);
    // Without the date (RunPod v2 says nothing for EXITED), the whole gap keeps the last known rate, as before.
    const { book: undated } = seenRunningUntil();
    round(undated, T0 + 11 * H, [seen(DISK)]);
    expect(undated.totalFor('runpod:p1', T0 + 11 * H)).toBe(11 * RUNNING);
  });

  it('start while VS Code was closed: the stopped rate until the start, running after', () => {
    const book = new CostBook();
    round(book, T0, [seen(RUNNING)]);
    round(book, T0 + H, [seen(DISK, T0 + H / 2)]); // stopped between two rounds: split there too
    const lines = round(book, T0 + 9 * H, [seen(RUNNING, T0 + 6 * H)]);
    expect(lines.map((l) => [l.from, l.to, l.rate])).toEqual([
      [T0 + H, T0 + 6 * H, DISK],
      [T0 + 6 * H, T0 + 9 * H, RUNNING],
    ]);
    expect(book.totalFor('runpod:p1', T0 + 9 * H)).toBe(3.5 * RUNNING + 5.5 * DISK);
    // A provider with nothing billed while stopped (rate 0): the start still counts from its own time.
    const free = new CostBook();
    round(free, T0, [seen(RUNNING)]);
    round(free, T0 + H, [seen(0, T0 + H)]);
    round(free, T0 + 5 * H, [seen(RUNNING, T0 + 4 * H)]);
    expect(free.totalFor('runpod:p1', T0 + 5 * H)).toBe(2 * RUNNING);
  });

  it('terminate while closed: billed until the termination where the provider still lists and dates it', () => {
    const { book } = seenRunningUntil();
    // EC2 keeps a terminated instance listed for about an hour, with "User initiated (<time> GMT)".
    round(book, T0 + 6 * H, [seen(0, T0 + 2 * H, 'ec2', 'runpod:p1')]);
    expect(book.totalFor('runpod:p1', T0 + 30 * H)).toBe(2 * RUNNING);
    expect(book.instance('runpod:p1')?.rateAfter).toBe(0);
    // Gone from the listing (RunPod deletes it): no date exists, so it is billed until it was last seen (T0+1h),
    // not until it was found gone: the hours with VS Code closed are not assumed running.
    const { book: gone } = seenRunningUntil();
    expect(round(gone, T0 + 6 * H, []).map((l) => [l.from, l.to, l.rate, l.rateAfter])).toEqual([[T0 + H, T0 + H, RUNNING, 0]]);
    expect(gone.totalFor('runpod:p1', T0 + 30 * H)).toBe(RUNNING);
    expect(round(gone, T0 + 7 * H, [])).toEqual([]);
  });

  it('terminated but still listed without a date (Vast unloaded, Lambda): ended at its last sighting, as if gone', () => {
    const { book } = seenRunningUntil();
    const ended: ObservedBilling = { ...seen(0), ended: true };
    expect(round(book, T0 + 6 * H, [ended]).map((l) => [l.from, l.to, l.rate, l.rateAfter])).toEqual([[T0 + H, T0 + H, RUNNING, 0]]);
    expect(round(book, T0 + 7 * H, [ended])).toEqual([]);
    expect(book.totalFor('runpod:p1', T0 + 30 * H)).toBe(RUNNING);
    // With a date it ends there; a stop without one (not ended) still keeps the running rate over the gap.
    const { book: dated } = seenRunningUntil();
    round(dated, T0 + 6 * H, [{ ...seen(0, T0 + 4 * H), ended: true }]);
    expect(dated.totalFor('runpod:p1', T0 + 30 * H)).toBe(4 * RUNNING);
    const { book: stopped } = seenRunningUntil();
    round(stopped, T0 + 6 * H, [seen(0)]);
    expect(stopped.totalFor('runpod:p1', T0 + 6 * H)).toBe(6 * RUNNING);
  });

  it('a gone instance whose end could not be asked (unsettled) stays open for the next round, then is dated or closed', () => {
    const { book } = seenRunningUntil();
    const unsettled = (now: number, observed: ObservedBilling[], keys: string[]) => {
      const lines = accrualEntries(book, { observed, listedProviders: new Set(['runpod']), unsettled: new Set(keys), now, writer: 'w' });
      book.add(lines);
      return lines;
    };
    expect(unsettled(T0 + 6 * H, [], ['runpod:p1'])).toEqual([]);
    expect(book.instance('runpod:p1')?.rateAfter).toBe(RUNNING);
    // Next round the provider answers: terminated at T0+3h.
    expect(round(book, T0 + 6 * H + 60_000, [seen(0, T0 + 3 * H)]).map((l) => [l.from, l.to, l.rate])).toEqual([
      [T0 + H, T0 + 3 * H, RUNNING],
      [T0 + 3 * H, T0 + 6 * H + 60_000, 0],
    ]);
    expect(book.totalFor('runpod:p1', T0 + 30 * H)).toBe(3 * RUNNING);
  });

  it('a change dated before the last line (that round saw an older listing) bills the whole gap at the new rate, nothing earlier', () => {
    const { book } = seenRunningUntil();
    const lines = round(book, T0 + 2 * H, [seen(DISK, T0 + H / 2)]);
    expect(lines.map((l) => [l.from, l.to, l.rate])).toEqual([[T0 + H, T0 + 2 * H, DISK]]);
    // The first hour was written at the running rate and stays so: the ledger is append-only.
    expect(book.totalFor('runpod:p1', T0 + 2 * H)).toBe(RUNNING + DISK);
  });

  it('garbage, future or pointless dates keep the plain rule: one line at the last known rate', () => {
    for (const since of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, T0 + 3 * H, T0 + 99 * H]) {
      const { book } = seenRunningUntil();
      const lines = round(book, T0 + 3 * H, [seen(DISK, since)]);
      expect(lines.map((l) => [l.from, l.to, l.rate, l.rateAfter])).toEqual([[T0 + H, T0 + 3 * H, RUNNING, DISK]]);
    }
    // A date inside the gap but no change of rate (a stop and a start, both while closed): billed as running.
    const { book } = seenRunningUntil();
    expect(round(book, T0 + 3 * H, [seen(RUNNING, T0 + 2 * H)])).toHaveLength(1);
    expect(book.totalFor('runpod:p1', T0 + 3 * H)).toBe(3 * RUNNING);
    // A negative date (before the epoch) is before the last line: whole gap at the new rate, never a negative span.
    const { book: neg } = seenRunningUntil();
    const lines = round(neg, T0 + 3 * H, [seen(DISK, -5)]);
    expect(lines.every((l) => l.to >= l.from && l.from >= T0)).toBe(true);
    expect(neg.totalFor('runpod:p1', T0 + 3 * H)).toBe(RUNNING + 2 * DISK);
  });

  it('the next rounds do not split again, and nothing is counted twice (duplicates, a second writer, a restart)', () => {
    const { book, written } = seenRunningUntil();
    const split = round(book, T0 + 11 * H, [seen(DISK, T0 + 3 * H)]);
    // The next round still sees stateSince T0+3h, now before the last line with the rate unchanged: one plain line.
    const next = round(book, T0 + 11 * H + 36_000, [seen(DISK, T0 + 3 * H)]);
    expect(next.map((l) => [l.from, l.rate])).toEqual([[T0 + 11 * H, DISK]]);
    const expected = 3 * RUNNING + 8 * DISK + 100; // 36 s at $0.01/h is 100 micro-dollars
    expect(book.totalFor('runpod:p1', T0 + 11 * H + 36_000)).toBe(expected);
    // The same split appended twice (a retried write), or also by a second window during a lease takeover: clipped.
    const twice = new CostBook();
    twice.add([...written, ...split, ...split, ...next, ...split]);
    expect(twice.totalFor('runpod:p1', T0 + 11 * H + 36_000)).toBe(expected);
    // A restart folds the file: the split lines are plain v1 lines, readable as any other, a torn last line ignored.
    const text = [...written, ...split, ...next].map(serializeEntry).join('') + serializeEntry(split[0] as LedgerEntry).slice(0, 40);
    const parsed = parseLedger(text);
    expect(parsed.badLines).toBe(0);
    expect(parsed.entries.every((e) => e.v === 1)).toBe(true);
    const restarted = new CostBook();
    restarted.add(parsed.entries);
    expect(restarted.totalFor('runpod:p1', T0 + 11 * H + 36_000)).toBe(expected);
    // A window still running an older build reads lines without any new field: the format did not change.
    expect(Object.keys(split[0] ?? {}).sort()).toEqual(['from', 'key', 'name', 'provider', 'rate', 'rateAfter', 'to', 'v', 'writer']);
  });
});
