import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldsForQuery } from './fields';
import { SampleGrouper } from './sampleGrouper';
import type { HostSample } from './sampleGrouper';
import { createGpuRowParser } from './sampleParser';
import type { RowParseError } from './sampleParser';

const FIELDS = fieldsForQuery(
  'timestamp,index,uuid,name,pci.bus_id,driver_version,pstate,utilization.gpu,utilization.memory,memory.total,memory.used,memory.free,temperature.gpu,temperature.memory,power.draw,power.limit,clocks.sm,clocks.mem,clocks.max.sm,fan.speed,ecc.errors.uncorrected.volatile.total,clocks_throttle_reasons.active,mig.mode.current,compute_mode'.split(','),
);
const parseLine = createGpuRowParser(FIELDS, { utcOffsetMinutes: 0 });
const traceLines = readFileSync('test/fixtures/nvidia-smi/h100-driver580/trace-gpu.csv', 'utf8').split('\n');
const traceRows = traceLines.slice(1).filter((l) => l !== '');

/** The trace as a 4-GPU host would stream it: per tick, rows for GPUs 0..3, a few ms apart, own UUIDs. */
function fourGpuLines(rows: readonly string[]): string[] {
  return rows.flatMap((row) =>
    [0, 1, 2, 3].map((i) => {
      const cells = row.split(', ');
      const ms = Number(cells[0]?.slice(-3)) + i * 3;
      cells[0] = `${cells[0]?.slice(0, -3)}${String(Math.min(ms, 999)).padStart(3, '0')}`;
      cells[1] = String(i);
      cells[2] = `GPU-${i}`;
      return cells.join(', ');
    }),
  );
}

function feed(grouper: SampleGrouper, lines: readonly string[]): HostSample[] {
  return [...lines.flatMap((l) => grouper.push(l)), ...grouper.flush()];
}

describe('tick grouping', () => {
  it('groups a synthesised 4-GPU trace into 178 complete ticks, each emitted on its last row', () => {
    const grouper = new SampleGrouper({ parseLine, intervalMs: 500, expectedGpus: 4 });
    const lines = fourGpuLines(traceRows);
    const emittedAt: number[] = [];
    lines.forEach((l, i) => {
      if (grouper.push(l).length > 0) emittedAt.push(i);
    });
    expect(emittedAt).toHaveLength(178);
    expect(emittedAt.slice(0, 3)).toEqual([3, 7, 11]);
    expect(grouper.flush()).toEqual([]);
  });

  it('keeps each GPU values and the tick time of its first row', () => {
    const samples = feed(new SampleGrouper({ parseLine, intervalMs: 500 }), ['', traceLines[0] ?? '', ...fourGpuLines(traceRows)]);
    expect(samples).toHaveLength(178);
    expect(samples.every((s) => s.gpus.length === 4 && !s.partial)).toBe(true);
    expect(samples[0]?.t).toBe(Date.UTC(2026, 10, 22, 10, 5, 20, 405));
    expect(samples[0]?.gpus.map((g) => g.uuid)).toEqual(['GPU-0', 'GPU-1', 'GPU-2', 'GPU-3']);
    const training = samples.find((s) => s.t === Date.UTC(2026, 10, 22, 10, 5, 47, 729));
    expect(training?.gpus.map((g) => g.metrics.utilizationGpu)).toEqual([26, 26, 26, 26]);
  });

  it('learns the GPU count from the first restart when none is given', () => {
    const grouper = new SampleGrouper({ parseLine, intervalMs: 500 });
    const lines = fourGpuLines(traceRows.slice(0, 3));
    expect(lines.slice(0, 4).flatMap((l) => grouper.push(l))).toEqual([]);
    expect(grouper.expectedGpus).toBeUndefined();
    expect(grouper.push(lines[4] ?? '')).toHaveLength(1);
    expect(grouper.expectedGpus).toBe(4);
    expect(lines.slice(5, 8).flatMap((l) => grouper.push(l))).toHaveLength(1);
  });

  it('groups the real single-GPU trace into one sample per row', () => {
    const samples = feed(new SampleGrouper({ parseLine, intervalMs: 500 }), traceLines);
    expect(samples).toHaveLength(178);
    expect(samples.every((s) => s.gpus.length === 1 && !s.partial)).toBe(true);
  });

  it('marks a tick partial when a row is lost or malformed, and reports the bad row', () => {
    const errors: RowParseError[] = [];
    const grouper = new SampleGrouper({ parseLine, intervalMs: 500, expectedGpus: 4, onRowError: (e) => errors.push(e) });
    const lines = fourGpuLines(traceRows.slice(0, 4));
    lines.splice(6, 1); // tick 1 loses GPU 2
    lines[7] = 'cut line, 0, GPU'; // tick 2 GPU 0 is garbage (indices shifted by the splice)
    const samples = feed(grouper, lines);
    expect(samples.map((s) => s.gpus.map((g) => g.index))).toEqual([[0, 1, 2, 3], [0, 1, 3], [1, 2, 3], [0, 1, 2, 3]]);
    expect(samples.map((s) => s.partial)).toEqual([false, true, true, false]);
    expect(errors.map((e) => e.reason)).toEqual(['columnCount']);
  });

  it('returns a partial tick at stream end', () => {
    const grouper = new SampleGrouper({ parseLine, intervalMs: 500, expectedGpus: 4 });
    const lines = fourGpuLines(traceRows.slice(0, 2)).slice(0, 6);
    expect(lines.flatMap((l) => grouper.push(l))).toHaveLength(1);
    const [last] = grouper.flush();
    expect(last?.gpus.map((g) => g.index)).toEqual([0, 1]);
    expect(last?.partial).toBe(true);
    expect(grouper.flush()).toEqual([]);
  });

  it('learns a larger GPU count from a row that arrives after its tick was sent', () => {
    const errors: RowParseError[] = [];
    const grouper = new SampleGrouper({ parseLine, intervalMs: 500, expectedGpus: 3, onRowError: (e) => errors.push(e) });
    const samples = feed(grouper, fourGpuLines(traceRows.slice(0, 3)));
    expect(samples.map((s) => s.gpus.length)).toEqual([3, 4, 4]);
    expect(grouper.expectedGpus).toBe(4);
    expect(errors).toHaveLength(1);
  });

  it('splits ticks on a timestamp jump even without an index restart', () => {
    const grouper = new SampleGrouper({ parseLine, intervalMs: 500 });
    const [a, b] = fourGpuLines(traceRows.slice(0, 1));
    const [, , c] = fourGpuLines(traceRows.slice(4, 5));
    const samples = feed(grouper, [a ?? '', b ?? '', c ?? '']);
    expect(samples.map((s) => s.gpus.map((g) => g.index))).toEqual([[0, 1], [2]]);
  });
});
