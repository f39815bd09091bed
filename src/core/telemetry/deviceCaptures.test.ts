import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ComputeAppsTracker, parseComputeAppLine } from './computeApps';
import { fieldsForQuery, GPU_STREAM_FIELDS } from './fields';
import { parseGpuInventory } from './gpuInventory';
import { negotiateFields, parseHelpQuery, requestNames } from './helpQueryGpu';
import { nvidiaSmiFailure, unknownQueryField } from './nvidiaSmiExit';
import { parseSmiTimestamp } from './timestamp';
import { createGpuRowParser } from './sampleParser';
import type { GpuSample } from './sampleParser';

/**
 * Captures taken by scripts/device/probe.mjs on a lent H100 (driver 580.159.04, a newer build than the
 * h100-driver580 captures the rest of the suite uses): a second, independent real machine for every parser.
 */
const DIR = 'test/fixtures/nvidia-smi/h100-driver580.159-device';
const text = (name: string) => readFileSync(`${DIR}/${name}`, 'utf8');
const lines = (name: string) => text(name).split('\n');
const opts = { utcOffsetMinutes: 0 };
const UUID = 'GPU-44ce599f-8953-1a1b-3753-dead534a95dc';
const samples = (parsed: ReturnType<ReturnType<typeof createGpuRowParser>>[]): GpuSample[] =>
  parsed.flatMap((p) => (p.kind === 'sample' ? [p.sample] : []));

describe('captures from a second H100 (driver 580.159.04)', () => {
  it('negotiates every streamed field against this driver\'s --help-query-gpu: nothing dropped', () => {
    const negotiated = negotiateFields(GPU_STREAM_FIELDS, parseHelpQuery(text('help-query-gpu.txt')));
    expect(negotiated.dropped).toEqual([]);
    expect(requestNames(negotiated)).toContain('clocks_event_reasons.active');
  });

  it('reads the stream fields with header and units, and without, to the same sample', () => {
    // The probe asked for `timestamp,index` and then the catalogue (which starts with them again): nvidia-smi
    // answers duplicate fields as asked, so the parser must line columns up by position, not by name.
    const fields = fieldsForQuery(['timestamp', 'index', ...GPU_STREAM_FIELDS.map((f) => f.name)]);
    const withUnits = lines('query-stream-fields.csv').map(createGpuRowParser(fields, opts));
    const bare = lines('query-stream-fields-noheader-nounits.csv').map(createGpuRowParser(fields, opts));
    expect(withUnits[0]).toEqual({ kind: 'header' });
    const [a] = samples(withUnits);
    const [b] = samples(bare);
    expect(a?.uuid).toBe(UUID);
    expect(a?.metrics).toEqual({
      utilizationGpu: 0, utilizationMemory: 0, memoryUsedMiB: 0, memoryTotalMiB: 81559, temperatureGpuC: 35, temperatureMemoryC: 37,
      powerDrawW: 73.1, powerLimitW: 700, clockSmMHz: 345, clockMemMHz: 2619, eccUncorrectedVolatile: 0, clockEventReasons: 1,
    });
    // fan.speed is [N/A] on this SXM board: no value, never 0.
    expect(a && 'fanSpeedPercent' in a.metrics).toBe(false);
    expect(b?.metrics).toEqual({ ...a?.metrics, powerDrawW: 73.09 });
  });

  it('a 1 s stream of 20 rows: paced on the wall clock, and refused as samples when uuid and name were not asked', () => {
    const names = 'timestamp,index,utilization.gpu,utilization.memory,memory.used,memory.total,temperature.gpu,temperature.memory,power.draw,power.limit,clocks.sm,clocks.mem,pstate,fan.speed,ecc.errors.uncorrected.volatile.total,clocks_event_reasons.active';
    const rows = lines('stream-1s-idle.csv').filter((l) => l.trim() !== '');
    const parsed = rows.map(createGpuRowParser(fieldsForQuery(names.split(',')), opts));
    // Our stream always asks for uuid and name (GPU identity across reboots); a row without them is an error.
    expect(parsed.every((p) => p.kind === 'error' && p.error.reason === 'missingRequired')).toBe(true);
    const times = rows.map((r) => parseSmiTimestamp(r.split(',')[0] ?? '', 0) ?? Number.NaN);
    expect(times).toHaveLength(20);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    // -lms 1000 paces itself on the wall clock: every gap within 990..1020 ms.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(990);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1020);
  });

  it('reads the inventory, and the compute apps of a real PyTorch process by full path', () => {
    expect(parseGpuInventory({ stdout: text('query-inventory.csv'), stderr: '', code: 0, signal: null })).toEqual([
      { index: 0, name: 'NVIDIA H100 80GB HBM3', memoryTotalMiB: 81559, uuid: UUID },
    ]);
    const apps = lines('query-compute-apps-busy.csv').map((l) => parseComputeAppLine(l, opts));
    expect(apps[0]).toEqual({ kind: 'header' });
    expect(apps[1]).toEqual({
      kind: 'app',
      app: { t: Date.UTC(2026, 10, 23, 11, 12, 25, 344), gpuUuid: UUID, pid: 453, name: '/opt/torch/.venv/bin/python3', usedMemoryMiB: 5482 },
    });
    const idle = new ComputeAppsTracker({ ...opts, intervalMs: 1000, startedAt: 0 });
    for (const l of lines('query-compute-apps.csv')) idle.push(l, 10);
    expect(idle.current(5_000)?.apps ?? []).toEqual([]);
  });

  it('turns the refused-field answer (exit 2) into a field name to drop', () => {
    expect(unknownQueryField(text('bogus-field.txt'))).toBe('bogus.field');
    const failure = nvidiaSmiFailure({ stdout: text('bogus-field.txt'), stderr: '', code: 2, signal: null });
    expect(failure?.message).toBe('This host\'s nvidia-smi does not know the field "bogus.field".');
  });
});
