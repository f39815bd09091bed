import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RemoteGpuError } from '../errors';
import { catalogueSignature, GPU_STREAM_FIELDS } from './fields';
import { DriverVersionCache, driverVersionCommand, parseDriverVersion } from './driverVersion';
import { dropRefusedField, helpQueryGpuCommand, negotiateFields, parseHelpQuery, requestNames } from './helpQueryGpu';
import type { AcceptedFields } from './helpQueryGpu';
import { nvidiaSmiFailure, unknownQueryField } from './nvidiaSmiExit';

const DIR = 'test/fixtures/nvidia-smi/h100-driver580';
const fixture = (name: string) => readFileSync(`${DIR}/${name}`, 'utf8');
const ok = (stdout: string) => ({ stdout, stderr: '', code: 0, signal: null });
const without = (accepted: AcceptedFields, ...names: string[]): AcceptedFields => ({
  names: new Set([...accepted.names].filter((n) => !names.includes(n))),
});

describe('--help-query-gpu', () => {
  const accepted = parseHelpQuery(fixture('help-query-gpu.txt'));

  it('reads every field line of the real driver-580 help, aliases included', () => {
    // 218 lines start with a quote: 214 field lines and 4 compute-mode explanations ("0: Default" means ...).
    // The 214 name 255 distinct fields with their aliases ("clocks.max.sm" is listed twice).
    expect(accepted.names.size).toBe(255);
    for (const n of ['timestamp', 'index', 'uuid', 'gpu_uuid', 'clocks.sm', 'clocks.current.sm', 'clocks.mem', 'clocks_throttle_reasons.active']) {
      expect(accepted.names.has(n)).toBe(true);
    }
  });

  it('does not take prose or section titles for fields', () => {
    expect(accepted.names.has('domain:bus:device.function')).toBe(false);
    expect(accepted.names.has('YYYY/MM/DD')).toBe(false);
    expect([...accepted.names].some((n) => n.includes('Default') || n.includes('Exclusive'))).toBe(false);
    expect([...accepted.names].every((n) => /^[A-Za-z0-9_.]+$/.test(n))).toBe(true);
  });

  it('negotiates the whole catalogue on driver 580, in catalogue order, with the new clock-event name', () => {
    const negotiated = negotiateFields(GPU_STREAM_FIELDS, accepted);
    expect(negotiated.dropped).toEqual([]);
    expect(negotiated.fields.map((f) => f.requestName)).toEqual([
      'timestamp', 'index', 'uuid', 'name', 'utilization.gpu', 'utilization.memory', 'memory.used', 'memory.total',
      'temperature.gpu', 'temperature.memory', 'power.draw', 'power.limit', 'clocks.sm', 'clocks.mem', 'pstate',
      'fan.speed', 'ecc.errors.uncorrected.volatile.total', 'clocks_event_reasons.active',
    ]);
  });

  it('falls back to the old throttle name and drops what an older driver lacks, without failing', () => {
    const old = without(accepted, 'clocks_event_reasons.active', 'temperature.memory', 'fan.speed');
    const negotiated = negotiateFields(GPU_STREAM_FIELDS, old);
    expect(negotiated.fields.find((f) => f.spec.target === 'clockEventReasons')?.requestName).toBe('clocks_throttle_reasons.active');
    expect(negotiated.dropped.map((s) => s.name)).toEqual(['temperature.memory', 'fan.speed']);
    expect(negotiated.fields).toHaveLength(GPU_STREAM_FIELDS.length - 2);
  });

  it('fails with invalidResponse, naming the field, when a required one is missing', () => {
    const attempt = () => negotiateFields(GPU_STREAM_FIELDS, without(accepted, 'index'));
    expect(attempt).toThrow(RemoteGpuError);
    expect(attempt).toThrow(/"index"/);
    try {
      attempt();
    } catch (e) {
      expect((e as RemoteGpuError).reason).toBe('invalidResponse');
    }
  });

  it('drops a field the driver refuses at run time, but never a required one', () => {
    const negotiated = negotiateFields(GPU_STREAM_FIELDS, accepted);
    const degraded = dropRefusedField(negotiated, 'temperature.memory');
    expect(requestNames(degraded)).toHaveLength(17);
    expect(requestNames(degraded)).not.toContain('temperature.memory');
    expect(degraded.dropped.map((s) => s.name)).toEqual(['temperature.memory']);
    expect(dropRefusedField(negotiated, 'bogus.field')).toBe(negotiated);
    expect(() => dropRefusedField(negotiated, 'uuid')).toThrow(expect.objectContaining({ reason: 'invalidResponse' }));
  });

  it('is a RemoteCommand: argv, success, missing nvidia-smi, empty help', () => {
    expect(helpQueryGpuCommand.argv).toEqual(['nvidia-smi', '--help-query-gpu']);
    expect(helpQueryGpuCommand.parse(ok(fixture('help-query-gpu.txt'))).names.size).toBe(accepted.names.size);
    expect(() => helpQueryGpuCommand.parse({ stdout: '', stderr: 'sh: nvidia-smi: not found', code: 127, signal: null })).toThrow(
      expect.objectContaining({ reason: 'commandNotFound' }),
    );
    expect(() => helpQueryGpuCommand.parse(ok('nothing useful\n'))).toThrow(expect.objectContaining({ reason: 'invalidResponse' }));
  });

  it('reads the compute-apps help with the same parser', () => {
    const apps = parseHelpQuery(fixture('help-query-apps.txt'));
    expect([...apps.names].sort()).toEqual(
      ['gpu_bus_id', 'gpu_name', 'gpu_serial', 'gpu_uuid', 'name', 'pid', 'process_name', 'timestamp', 'used_gpu_memory', 'used_memory'].sort(),
    );
  });
});

describe('unknown field (query-bogus.txt)', () => {
  const text = fixture('query-bogus.txt');
  const code = Number(/rc=(\d+)/.exec(text)?.[1]);
  const stdout = text.split('\n')[0] ?? '';

  it('is recognised with the refused field and exit 2', () => {
    expect(code).toBe(2);
    expect(unknownQueryField(stdout)).toBe('bogus.field');
    const error = nvidiaSmiFailure({ stdout: `${stdout}\n`, stderr: '', code, signal: null });
    expect(error?.reason).toBe('remoteFailed');
    expect(error?.message).toBe('This host\'s nvidia-smi does not know the field "bogus.field".');
  });

  it('classifies other exits without matching free text', () => {
    expect(nvidiaSmiFailure(ok(''))).toBeUndefined();
    expect(nvidiaSmiFailure({ stdout: 'No devices were found', stderr: '', code: 6, signal: null })?.reason).toBe('notFound');
    expect(nvidiaSmiFailure({ stdout: 'NVIDIA-SMI has failed', stderr: '', code: 9, signal: null })?.message).toMatch(/driver/);
    expect(nvidiaSmiFailure({ stdout: '', stderr: '', code: null, signal: 'TERM' })?.message).toBe('nvidia-smi failed: exit TERM');
    expect(unknownQueryField('0, GPU-1, NVIDIA H100')).toBeUndefined();
  });
});

describe('driver version', () => {
  it('reads --version (smi-version.txt) and the csv query form', () => {
    expect(parseDriverVersion(fixture('smi-version.txt'))).toBe('580.159.04');
    expect(parseDriverVersion('535.183.01\n535.183.01\n')).toBe('535.183.01');
    expect(parseDriverVersion('garbage\n')).toBeUndefined();
  });

  it('is a RemoteCommand that fails clearly', () => {
    expect(driverVersionCommand.argv).toEqual(['nvidia-smi', '--query-gpu=driver_version', '--format=csv,noheader']);
    expect(driverVersionCommand.parse(ok('580.159.04\n'))).toBe('580.159.04');
    expect(() => driverVersionCommand.parse(ok('[N/A]\n'))).toThrow(expect.objectContaining({ reason: 'invalidResponse' }));
  });

  it('caches per driver version and catalogue, bounded', () => {
    const cache = new DriverVersionCache<number>(catalogueSignature(GPU_STREAM_FIELDS), 2);
    cache.set('580.159.04', 1);
    expect(cache.get('580.159.04')).toBe(1);
    expect(cache.get('535.183.01')).toBeUndefined();
    const other = new DriverVersionCache<number>(catalogueSignature(GPU_STREAM_FIELDS.slice(0, 4)));
    expect(other.get('580.159.04')).toBeUndefined();
    cache.set('535.183.01', 2);
    cache.set('470.256.02', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('580.159.04')).toBeUndefined();
    expect(cache.get('470.256.02')).toBe(3);
  });
});
