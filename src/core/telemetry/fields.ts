import type { GpuMetricKey } from '../../shared/gpuMetrics';

/** How a cell is read. `hexBitmask` is nvidia-smi's `0x0000000000000001` notation. */
export type FieldKind = 'timestamp' | 'number' | 'string' | 'hexBitmask';

/**
 * Where a parsed cell lands in a GpuSample: one of the identity fields, the pstate, or a numeric metric. `unused`:
 * a column of someone else's field list (a capture, the simulator's default query) that is read by position and
 * dropped.
 */
export type FieldTarget = 'timestamp' | 'index' | 'uuid' | 'name' | 'pstate' | 'unused' | GpuMetricKey;

/**
 * One `--query-gpu` field we want. `name` is the current driver name; `fallbacks` are older names that mean the same
 * thing and are asked for, in order, when the driver does not accept `name`.
 */
export interface GpuFieldSpec {
  readonly name: string;
  readonly fallbacks: readonly string[];
  readonly target: FieldTarget;
  readonly kind: FieldKind;
  /** The unit nvidia-smi prints in `--format=csv` (without `nounits`); informative, parsing tolerates any of them. */
  readonly unit: string | undefined;
  /** Without a required field no sample can be attributed (which GPU, when): negotiation fails instead of degrading. */
  readonly required: boolean;
}

/** A wanted field paired with the name this driver accepts for it (the current name or an older fallback). */
export interface RequestedField {
  readonly spec: GpuFieldSpec;
  readonly requestName: string;
}

function field(name: string, target: FieldTarget, kind: FieldKind, unit: string | undefined, required = false, fallbacks: readonly string[] = []): GpuFieldSpec {
  return { name, fallbacks, target, kind, unit, required };
}

/**
 * The live-telemetry field set, in the order it is requested. Identity fields come first so a header line is
 * recognisable by its first cell ("timestamp") and a cut line still tells which GPU it was.
 */
export const GPU_STREAM_FIELDS: readonly GpuFieldSpec[] = [
  field('timestamp', 'timestamp', 'timestamp', undefined, true),
  field('index', 'index', 'number', undefined, true),
  field('uuid', 'uuid', 'string', undefined, true),
  field('name', 'name', 'string', undefined, true),
  field('utilization.gpu', 'utilizationGpu', 'number', '%'),
  field('utilization.memory', 'utilizationMemory', 'number', '%'),
  field('memory.used', 'memoryUsedMiB', 'number', 'MiB'),
  field('memory.total', 'memoryTotalMiB', 'number', 'MiB'),
  field('temperature.gpu', 'temperatureGpuC', 'number', 'C'),
  field('temperature.memory', 'temperatureMemoryC', 'number', 'C'),
  field('power.draw', 'powerDrawW', 'number', 'W'),
  field('power.limit', 'powerLimitW', 'number', 'W'),
  field('clocks.sm', 'clockSmMHz', 'number', 'MHz'),
  field('clocks.mem', 'clockMemMHz', 'number', 'MHz'),
  field('pstate', 'pstate', 'string', undefined),
  field('fan.speed', 'fanSpeedPercent', 'number', '%'),
  field('ecc.errors.uncorrected.volatile.total', 'eccUncorrectedVolatile', 'number', undefined),
  // Renamed in driver 530-ish; older drivers only know the throttle name, newer ones accept both.
  field('clocks_event_reasons.active', 'clockEventReasons', 'hexBitmask', undefined, false, ['clocks_throttle_reasons.active']),
];

/**
 * The bits of `clocks_event_reasons.active` (NVML's nvmlClocksEventReason*). All fit far below 2^53, so the mask is
 * carried as a plain number.
 */
export const CLOCK_EVENT_REASON_BITS: ReadonlyArray<readonly [number, string]> = [
  [0x1, 'gpuIdle'],
  [0x2, 'applicationsClocksSetting'],
  [0x4, 'swPowerCap'],
  [0x8, 'hwSlowdown'],
  [0x10, 'syncBoost'],
  [0x20, 'swThermalSlowdown'],
  [0x40, 'hwThermalSlowdown'],
  [0x80, 'hwPowerBrakeSlowdown'],
  [0x100, 'displayClockSetting'],
];

/** Names of the reasons set in a mask, e.g. 0x5 → ['gpuIdle', 'swPowerCap']; unknown bits come back as hex. */
export function decodeClockEventReasons(mask: number): string[] {
  const names: string[] = [];
  let rest = mask;
  for (const [bit, name] of CLOCK_EVENT_REASON_BITS) {
    if (Math.floor(rest / bit) % 2 === 1) {
      names.push(name);
      rest -= bit;
    }
  }
  if (rest > 0) names.push(`0x${rest.toString(16)}`);
  return names;
}

/** A stable string naming a field list (names and fallbacks), used to key caches of driver answers about it. */
export function catalogueSignature(fields: readonly GpuFieldSpec[]): string {
  return fields.map((f) => [f.name, ...f.fallbacks].join('|')).join(',');
}

/**
 * The fields of an existing `--query-gpu=` list, in its order, for parsing output that was not produced by our own
 * negotiation (captures, a user's query). Names we know map to the catalogue (fallback names included); the rest are
 * kept as `unused` strings so that columns still line up by position.
 */
export function fieldsForQuery(names: readonly string[], catalogue: readonly GpuFieldSpec[] = GPU_STREAM_FIELDS): RequestedField[] {
  return names.map((requestName) => {
    const spec = catalogue.find((s) => s.name === requestName || s.fallbacks.includes(requestName));
    return { spec: spec ?? field(requestName, 'unused', 'string', undefined), requestName };
  });
}
