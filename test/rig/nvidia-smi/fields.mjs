// @ts-check
import { createHash } from 'node:crypto';
import { formatTimestamp } from './clock.mjs';
import { readFixture } from './fixtures.mjs';

/** @typedef {{ index: number, name: string, uuid: string, busId: string, serial: string, pciDevice: string }} GpuIdentity */
/** @typedef {{ gpu: GpuIdentity, sample: Map<string, string>, count: number, nowMs: number }} GpuContext */
/** @typedef {{ gpu: GpuIdentity, app: Map<string, string>, nowMs: number }} AppContext */

/**
 * Reads the accepted names out of a `--help-query-*` capture. The driver answers with the first spelling
 * of an `"a" or "b"` pair, so every alias maps to it.
 * @param {string} text
 * @returns {Map<string, string>} accepted name -> canonical name
 */
export function parseHelpFields(text) {
  /** @type {Map<string, string>} */
  const names = new Map();
  for (const line of text.split('\n')) {
    const match = /^"([^"]+)"(?: or "([^"]+)")?$/.exec(line);
    if (!match || !match[1]) continue;
    names.set(match[1], match[1]);
    if (match[2]) names.set(match[2], match[1]);
  }
  return names;
}

/** @returns {Map<string, string>} */
export const gpuFieldNames = () => parseHelpFields(readFixture('help-query-gpu.txt'));
/** @returns {Map<string, string>} */
export const appFieldNames = () => parseHelpFields(readFixture('help-query-apps.txt'));

// Units for fields the trace does not carry, following the driver's naming of the traced ones.
/** @type {[RegExp, string][]} */
const UNIT_RULES = [
  [/^(memory|protected_memory)\./, 'MiB'],
  [/^utilization\./, '%'],
  [/^clocks\./, 'MHz'],
  [/^clocks_event_reasons_counters\./, 'us'],
  [/^(module\.)?(enforced\.)?power\.(draw|limit|default_limit|min_limit|max_limit)/, 'W'],
];

/**
 * @param {string} canonical
 * @param {Map<string, string>} tracedUnits
 * @returns {string | undefined}
 */
export function unitOf(canonical, tracedUnits) {
  return tracedUnits.get(canonical) ?? UNIT_RULES.find(([pattern]) => pattern.test(canonical))?.[1];
}

// Readings of the captured H100 (smi-q.txt) that the trace does not sample; values without units.
/** @type {Record<string, string>} */
const CONSTANTS = {
  'driver_version': '580.159.04', 'pci.domain': '0x0000', 'pci.bus': '0x00', 'pci.baseClass': '0x3',
  'pci.subClass': '0x2', 'pci.device_id': '0x233010DE', 'pci.sub_device_id': '0x16C110DE',
  'pcie.link.gen.current': '5', 'pcie.link.gen.gpucurrent': '5', 'pcie.link.gen.max': '5', 'pcie.link.gen.gpumax': '5',
  'pcie.link.width.current': '16', 'pcie.link.width.max': '16', 'display_attached': 'Yes', 'display_active': 'Disabled',
  'persistence_mode': 'Enabled', 'addressing_mode': 'None', 'accounting.mode': 'Disabled', 'accounting.buffer_size': '4000',
  'vbios_version': '96.00.DA.00.0C', 'inforom.img': 'G520.0200.00.05', 'inforom.oem': '2.1', 'inforom.ecc': '7.16',
  'gpu_recovery_action': 'None', 'memory.reserved': '480', 'compute_cap': '9.0', 'utilization.encoder': '0',
  'utilization.decoder': '0', 'utilization.jpeg': '0', 'utilization.ofa': '0', 'encoder.stats.sessionCount': '0',
  'encoder.stats.averageFps': '0', 'encoder.stats.averageLatency': '0', 'ecc.mode.current': 'Enabled',
  'ecc.mode.pending': 'Enabled', 'ecc.errors.uncorrected.aggregate.sram.thresholdExceeded': 'No',
  'remapped_rows.correctable': '0', 'remapped_rows.correctable_inactive': '0', 'remapped_rows.uncorrectable': '0',
  'remapped_rows.uncorrectable_inactive': '0', 'remapped_rows.pending': 'No', 'remapped_rows.failure': 'No',
  'remapped_rows.histogram.max': '2560', 'remapped_rows.histogram.high': '0', 'remapped_rows.histogram.partial': '0',
  'remapped_rows.histogram.low': '0', 'remapped_rows.histogram.none': '0', 'enforced.power.limit': '700.00',
  'power.default_limit': '700.00', 'power.min_limit': '200.00', 'power.max_limit': '700.00',
  'clocks.current.video': '1545', 'clocks.applications.graphics': '1980', 'clocks.applications.memory': '2619',
  'clocks.default_applications.graphics': '1980', 'clocks.default_applications.memory': '2619',
  'clocks.max.graphics': '1980', 'clocks.max.memory': '2619', 'mig.mode.pending': 'Disabled', 'c2c.mode': 'Disabled',
  'protected_memory.total': '0', 'protected_memory.used': '0', 'protected_memory.free': '0', 'platform.module_id': '4',
};

// NVML's clocks-event bits, so the per-reason fields agree with the traced `clocks_event_reasons.active` mask.
/** @type {Record<string, number>} */
const EVENT_BITS = {
  gpu_idle: 0x1, applications_clocks_setting: 0x2, sw_power_cap: 0x4, hw_slowdown: 0x8, sync_boost: 0x10,
  sw_thermal_slowdown: 0x20, hw_thermal_slowdown: 0x40, hw_power_brake_slowdown: 0x80,
};

/**
 * @param {string} canonical
 * @param {GpuContext} c
 * @returns {string | undefined}
 */
function derivedGpuValue(canonical, c) {
  const reason = /^clocks_event_reasons\.(\w+)$/.exec(canonical)?.[1];
  const bit = reason ? EVENT_BITS[reason] : undefined;
  if (bit !== undefined) return Number(c.sample.get('clocks_event_reasons.active')) & bit ? 'Active' : 'Not Active';
  if (/^ecc\.errors\.(un)?corrected\./.test(canonical) && !canonical.endsWith('thresholdExceeded')) return '0';
  if (canonical.startsWith('clocks_event_reasons_counters.')) return '0';
  switch (canonical) {
    case 'timestamp': return formatTimestamp(c.nowMs);
    case 'count': return String(c.count);
    case 'index': return String(c.gpu.index);
    case 'name': return c.gpu.name;
    case 'uuid': return c.gpu.uuid;
    case 'serial': return c.gpu.serial;
    case 'pci.bus_id': return c.gpu.busId;
    case 'pci.device': return c.gpu.pciDevice;
    case 'clocks.current.graphics': return c.sample.get('clocks.current.sm');
    case 'power.draw.average':
    case 'power.draw.instant': return c.sample.get('power.draw');
    // smi-q.txt shows a T.Limit of 53 C at 34 C: the headroom shrinks as the GPU warms.
    case 'temperature.gpu.tlimit': return String(87 - Number(c.sample.get('temperature.gpu') ?? 34));
    default: return undefined;
  }
}

/**
 * @param {string} canonical a name from help-query-gpu.txt
 * @param {GpuContext} context
 * @returns {string} the value without its unit; `[N/A]` where this GPU has no reading
 */
export function gpuValue(canonical, context) {
  return derivedGpuValue(canonical, context) ?? context.sample.get(canonical) ?? CONSTANTS[canonical] ?? '[N/A]';
}

/**
 * @param {string} canonical a name from help-query-apps.txt
 * @param {AppContext} c
 * @returns {string}
 */
export function appValue(canonical, c) {
  switch (canonical) {
    case 'timestamp': return formatTimestamp(c.nowMs);
    case 'gpu_name': return c.gpu.name;
    case 'gpu_bus_id': return c.gpu.busId;
    case 'gpu_serial': return c.gpu.serial;
    case 'gpu_uuid': return c.gpu.uuid;
    // Other GPUs run their own copy of the traced job; their pids must not collide with GPU 0's.
    case 'pid': return String(Number(c.app.get('pid')) + 1000 * c.gpu.index);
    default: return c.app.get(canonical) ?? '[N/A]';
  }
}

/**
 * GPU 0 is the captured board; the others are deterministic siblings on the next PCI slots.
 * @param {number} index
 * @param {Map<string, string>} captured the first trace sample, which names the real board
 * @returns {GpuIdentity}
 */
export function gpuIdentity(index, captured) {
  const realUuid = captured.get('uuid') ?? 'GPU-00000000-0000-0000-0000-000000000000';
  const hex = createHash('sha256').update(`${realUuid}/${index}`).digest('hex');
  const uuid = index === 0 ? realUuid
    : `GPU-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  const device = (0x06 + index).toString(16).toUpperCase().padStart(2, '0');
  return {
    index,
    name: captured.get('name') ?? 'NVIDIA H100 80GB HBM3',
    uuid,
    busId: `00000000:00:${device}.0`,
    serial: String(1753024038330 + index),
    pciDevice: `0x${device}`,
  };
}
