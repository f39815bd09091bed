import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldsForQuery, GPU_STREAM_FIELDS } from './fields';
import { createGpuRowParser } from './sampleParser';
import type { GpuSample, ParsedGpuLine } from './sampleParser';

const DIR = 'test/fixtures/nvidia-smi/h100-driver580';
const lines = (name: string) => readFileSync(`${DIR}/${name}`, 'utf8').split('\n');
const utc = (hms: string, ms = 0) => Date.UTC(2026, 10, 22, ...(hms.split(':').map(Number) as [number, number, number]), ms);

/** `$F` of the fixture README: the field list every capture was taken with. */
const CAPTURE_FIELDS = fieldsForQuery(
  'timestamp,index,uuid,name,pci.bus_id,driver_version,pstate,utilization.gpu,utilization.memory,memory.total,memory.used,memory.free,temperature.gpu,temperature.memory,power.draw,power.limit,clocks.sm,clocks.mem,clocks.max.sm,fan.speed,ecc.errors.uncorrected.volatile.total,clocks_throttle_reasons.active,mig.mode.current,compute_mode'.split(','),
);
const parseCapture = createGpuRowParser(CAPTURE_FIELDS, { utcOffsetMinutes: 0 });
const samplesOf = (parsed: ParsedGpuLine[]): GpuSample[] => parsed.flatMap((p) => (p.kind === 'sample' ? [p.sample] : []));

const IDLE_H100: GpuSample = {
  t: utc('10:04:46', 354),
  index: 0,
  uuid: 'GPU-f6ff1cff-b1da-fae8-5276-fbfc4b95eb47',
  name: 'NVIDIA H100 80GB HBM3',
  pstate: 'P0',
  metrics: {
    utilizationGpu: 0, utilizationMemory: 0, memoryTotalMiB: 81559, memoryUsedMiB: 0, temperatureGpuC: 33, temperatureMemoryC: 35,
    powerDrawW: 113.9, powerLimitW: 700, clockSmMHz: 405, clockMemMHz: 2619, eccUncorrectedVolatile: 0, clockEventReasons: 1,
  },
};

describe('row parser on the real captures', () => {
  it('parses query-nounits.csv completely, with fan.speed [N/A] as no value (not 0)', () => {
    const [parsed] = lines('query-nounits.csv').map(parseCapture);
    expect(parsed).toEqual({ kind: 'sample', sample: IDLE_H100 });
    if (parsed?.kind === 'sample') expect('fanSpeedPercent' in parsed.sample.metrics).toBe(false);
  });

  it('skips the header of query-units.csv (renamed columns) and reads values that carry units', () => {
    const parsed = lines('query-units.csv').map(parseCapture);
    expect(parsed[0]).toEqual({ kind: 'header' });
    expect(parsed[2]).toEqual({ kind: 'blank' });
    expect(parsed[1]).toEqual({ kind: 'sample', sample: { ...IDLE_H100, t: utc('10:04:46', 316), metrics: { ...IDLE_H100.metrics, powerDrawW: 115.91 } } });
  });

  it('parses every row of trace-gpu.csv (header + 178 rows, 0.5 s apart)', () => {
    const parsed = lines('trace-gpu.csv').map(parseCapture);
    expect(parsed.filter((p) => p.kind === 'error')).toEqual([]);
    expect(parsed.filter((p) => p.kind === 'header')).toHaveLength(1);
    const samples = samplesOf(parsed);
    expect(samples).toHaveLength(178);
    expect(samples[0]?.t).toBe(utc('10:05:20', 405));
    expect(samples.at(-1)?.t).toBe(utc('10:06:49', 858));
    expect(samples.every((s) => s.metrics.fanSpeedPercent === undefined && s.metrics.memoryTotalMiB === 81559)).toBe(true);
  });

  describe('the README timeline shows up in the trace', () => {
    const samples = samplesOf(lines('trace-gpu.csv').map(parseCapture));
    const between = (from: string, to: string) => samples.filter((s) => s.t >= utc(from) && s.t < utc(to));
    const util = (xs: GpuSample[]) => xs.map((s) => s.metrics.utilizationGpu);

    it('idle, no process: 0 %, 0 MiB, ~70 W, 345 MHz, GPU-idle clock reason', () => {
      const idle = between('10:05:20', '10:05:34');
      expect(idle).toHaveLength(27);
      expect(new Set(util(idle))).toEqual(new Set([0]));
      expect(new Set(idle.map((s) => s.metrics.memoryUsedMiB))).toEqual(new Set([0]));
      expect(idle.every((s) => s.metrics.powerDrawW !== undefined && s.metrics.powerDrawW > 69 && s.metrics.powerDrawW < 71)).toBe(true);
      expect(new Set(idle.map((s) => s.metrics.clockSmMHz))).toEqual(new Set([345]));
      expect(new Set(idle.map((s) => s.metrics.clockEventReasons))).toEqual(new Set([1]));
    });

    it('training: ~100 % at ~690 W with 3737 MiB, and exactly the four checkpoint dips', () => {
      const training = between('10:05:40', '10:06:19.5');
      expect(new Set(training.map((s) => s.metrics.memoryUsedMiB))).toEqual(new Set([3737]));
      const dips = training.filter((s) => (s.metrics.utilizationGpu ?? 0) < 90);
      expect(dips.map((s) => s.metrics.utilizationGpu)).toEqual([26, 2, 2, 3]);
      const busy = training.filter((s) => s.metrics.utilizationGpu === 100);
      expect(busy.length).toBeGreaterThan(70);
      expect(Math.max(...training.map((s) => s.metrics.powerDrawW ?? 0))).toBeGreaterThan(690);
    });

    it('memory held, no work: 0 % with 3737 MiB; then process gone: 0 MiB', () => {
      const held = between('10:06:20', '10:06:40');
      expect(held.length).toBe(40);
      expect(new Set(util(held))).toEqual(new Set([0]));
      expect(new Set(held.map((s) => s.metrics.memoryUsedMiB))).toEqual(new Set([3737]));
      const gone = between('10:06:40', '10:06:50');
      expect(new Set(gone.map((s) => s.metrics.memoryUsedMiB))).toEqual(new Set([0]));
      expect(gone.at(-1)?.metrics.clockSmMHz).toBe(345);
    });
  });
});

describe('row parser on our own negotiated query', () => {
  const parse = createGpuRowParser(fieldsForQuery(GPU_STREAM_FIELDS.map((f) => f.name)), { utcOffsetMinutes: 60 });
  const row = (cells: Partial<Record<number, string>>) => {
    const base = ['2026/11/22 11:05:20.405', '3', 'GPU-x', 'NVIDIA A100', '97', '41', '30000', '40960', '61', '70', '301.5', '400.00', '1410', '1215', 'P0', '45', '0', '0x0000000000000004'];
    return base.map((c, i) => cells[i] ?? c).join(', ');
  };

  it('maps columns by position and applies the host UTC offset', () => {
    const parsed = parse(row({}));
    expect(parsed.kind).toBe('sample');
    if (parsed.kind !== 'sample') return;
    expect(parsed.sample.t).toBe(utc('10:05:20', 405));
    expect(parsed.sample.index).toBe(3);
    expect(parsed.sample.metrics).toMatchObject({ utilizationGpu: 97, memoryUsedMiB: 30000, powerDrawW: 301.5, clockEventReasons: 4, fanSpeedPercent: 45 });
  });

  it.each(['[N/A]', '[Not Supported]', '[Unknown Error]', '[Insufficient Permissions]', 'N/A', '[GPU requires reset]'])('%s is no value, never 0', (cell) => {
    const parsed = parse(row({ 4: cell, 10: cell, 17: cell, 14: cell }));
    expect(parsed.kind).toBe('sample');
    if (parsed.kind !== 'sample') return;
    expect(parsed.sample.metrics.utilizationGpu).toBeUndefined();
    expect(parsed.sample.metrics.powerDrawW).toBeUndefined();
    expect(parsed.sample.metrics.clockEventReasons).toBeUndefined();
    expect(parsed.sample.pstate).toBeUndefined();
    expect(Object.values(parsed.sample.metrics)).not.toContain(Number.NaN);
  });

  it('tolerates units in nounits mode', () => {
    const parsed = parse(row({ 4: '97 %', 6: '30000 MiB', 10: '301.5 W', 12: '1410 MHz' }));
    expect(parsed.kind === 'sample' && parsed.sample.metrics).toMatchObject({ utilizationGpu: 97, memoryUsedMiB: 30000, powerDrawW: 301.5, clockSmMHz: 1410 });
  });

  it('keeps a comma inside the GPU name', () => {
    const parsed = parse(row({ 3: 'Odd, Name' }));
    expect(parsed.kind === 'sample' && parsed.sample.name).toBe('Odd, Name');
  });

  it('reports malformed rows with a typed reason and invents nothing', () => {
    const reasonOf = (line: string) => {
      const p = parse(line);
      return p.kind === 'error' ? p.error.reason : p.kind;
    };
    expect(reasonOf(row({}).split(', ').slice(0, 9).join(', '))).toBe('columnCount');
    expect(reasonOf(row({ 4: 'ninety' }))).toBe('badValue');
    expect(reasonOf(row({ 10: '30O.5' }))).toBe('badValue');
    expect(reasonOf(row({ 17: '0xZZ' }))).toBe('badValue');
    expect(reasonOf(row({ 1: '[N/A]' }))).toBe('missingRequired');
    expect(reasonOf(row({ 1: '-1' }))).toBe('badValue');
    expect(reasonOf(row({ 1: '1.5' }))).toBe('badValue');
    expect(reasonOf(row({ 0: '2026/13/45 99:00:00.000' }))).toBe('badTimestamp');
    expect(reasonOf(row({ 0: 'yesterday' }))).toBe('badTimestamp');
    expect(reasonOf('Field "bogus.field" is not a valid field to query.')).toBe('unknownField');
    expect(reasonOf('\u0000\u0001garbage')).toBe('columnCount');
    const bad = parse(row({ 4: 'ninety' }));
    expect(bad.kind === 'error' && bad.error.field).toBe('utilization.gpu');
  });

  it('cuts long malformed lines for the log', () => {
    const p = parse('x'.repeat(5000));
    expect(p.kind === 'error' && p.error.line.length).toBeLessThanOrEqual(201);
  });
});
