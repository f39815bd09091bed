import type { GpuSample, ParsedGpuLine, RowParseError } from './sampleParser';

/** Every GPU of one host at one tick of the stream. */
export interface HostSample {
  /** The tick's time: the earliest timestamp among its rows (epoch ms). */
  readonly t: number;
  /** Sorted by index. */
  readonly gpus: readonly GpuSample[];
  /** Fewer GPUs than the host has: a row was malformed, a GPU fell off the bus, or the stream ended mid-tick. */
  readonly partial: boolean;
}

export interface SampleGrouperOptions {
  /** The stream's line parser (createGpuRowParser). */
  readonly parseLine: (line: string) => ParsedGpuLine;
  /** The stream's interval: rows more than half of it apart are in different ticks. */
  readonly intervalMs: number;
  /**
   * How many GPUs the host has, if known (from the inventory). With it a tick is emitted the moment its last row
   * arrives; without it the count is learned from the first tick, which waits for the next tick's first row.
   */
  readonly expectedGpus?: number;
  /** Malformed rows are reported here and skipped. */
  readonly onRowError?: (error: RowParseError) => void;
}

/**
 * Groups the stream's rows (one per GPU per tick) into one HostSample per tick. Fed line by line because the SSH
 * channel delivers lines; `push` returns the ticks that a line completed, usually zero or one.
 *
 * A tick ends when (a) it holds as many rows as the host has GPUs, (b) a row's index repeats or goes back (the
 * sequence restarted at the first GPU), or (c) a row's timestamp is more than half an interval from the tick's.
 * (a) keeps latency at zero; (b) and (c) keep grouping right when a row is lost or the GPU count is still unknown.
 */
export class SampleGrouper {
  private pending: GpuSample[] = [];
  private expected: number | undefined;
  private lastEmitted: { t: number; indices: Set<number> } | undefined;
  private readonly toleranceMs: number;

  constructor(private readonly options: SampleGrouperOptions) {
    this.expected = options.expectedGpus !== undefined && options.expectedGpus > 0 ? options.expectedGpus : undefined;
    this.toleranceMs = Math.max(1, options.intervalMs / 2);
  }

  /** GPUs per tick, as given or learned; undefined until the first tick has ended. */
  get expectedGpus(): number | undefined {
    return this.expected;
  }

  push(line: string): HostSample[] {
    const parsed = this.options.parseLine(line);
    if (parsed.kind === 'error') this.options.onRowError?.(parsed.error);
    if (parsed.kind !== 'sample') return [];
    return this.accept(parsed.sample);
  }

  /** At stream end: the tick in progress, marked partial if rows are missing. */
  flush(): HostSample[] {
    return this.pending.length === 0 ? [] : [this.close(false)];
  }

  private accept(row: GpuSample): HostSample[] {
    if (this.pending.length === 0 && this.isLateRow(row)) return [];
    const out: HostSample[] = [];
    const first = this.pending[0];
    const last = this.pending[this.pending.length - 1];
    if (first && last) {
      const restarted = row.index <= last.index || this.pending.some((g) => g.index === row.index);
      if (restarted || Math.abs(row.t - first.t) > this.toleranceMs) out.push(this.close(restarted));
    }
    this.pending.push(row);
    if (this.expected !== undefined && this.pending.length >= this.expected) out.push(this.close(false));
    return out;
  }

  /**
   * A row that belongs to the tick just emitted: the host has more GPUs than expected (one came back, or the count
   * was learned from a tick that lost a row). Learn the larger count; the row itself cannot join a tick already sent.
   */
  private isLateRow(row: GpuSample): boolean {
    const previous = this.lastEmitted;
    if (!previous || previous.indices.has(row.index) || Math.abs(row.t - previous.t) > this.toleranceMs) return false;
    if (row.index < Math.max(...previous.indices)) return false;
    previous.indices.add(row.index);
    this.expected = Math.max(this.expected ?? 0, previous.indices.size);
    this.options.onRowError?.({
      reason: 'columnCount',
      message: `GPU ${row.index} arrived after its tick was complete; now expecting ${this.expected} GPUs per tick`,
      line: `${row.index}, ${row.uuid}`,
    });
    return true;
  }

  private close(sequenceRestarted: boolean): HostSample {
    const gpus = this.pending.sort((a, b) => a.index - b.index);
    this.pending = [];
    // Only a restart proves the tick held every GPU that reports; a timestamp jump may follow a lost row.
    if (sequenceRestarted && this.expected === undefined) this.expected = gpus.length;
    const t = Math.min(...gpus.map((g) => g.t));
    this.lastEmitted = { t, indices: new Set(gpus.map((g) => g.index)) };
    return { t, gpus, partial: this.expected !== undefined && gpus.length < this.expected };
  }
}
