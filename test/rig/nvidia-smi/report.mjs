// @ts-check
import { tracePosition } from './clock.mjs';
import { appFieldNames, appValue, gpuFieldNames, gpuValue } from './fields.mjs';
import { garbleRow, garbleText } from './garbage.mjs';
import { headerLine, invalidFieldMessage, resolveFields, rowLine } from './query.mjs';
import { renderList, renderTable } from './table.mjs';
import { appSampleAt, gpuSampleAt } from './trace.mjs';

/** @typedef {import('./fields.mjs').GpuIdentity} GpuIdentity */
/** @typedef {import('./fields.mjs').GpuContext} GpuContext */
/** @typedef {import('./clock.mjs').SimClock} SimClock */
/** @typedef {import('./trace.mjs').Trace} Trace */
/** @typedef {import('./args.mjs').Action} Action */
/**
 * hold: the replay position every GPU is held at right now (control.mjs), or undefined to follow the trace.
 * @typedef {{ trace: Trace, gpus: GpuIdentity[], count: number, clock: SimClock, garbage: boolean, hold: () => number | undefined }} Sim
 */
/**
 * What a report prints: `head` once, then one `sample` per tick (once without a loop).
 * @typedef {{ head: string, sample: (nowMs: number, tick: number) => string }} Report
 */

/**
 * @param {Sim} sim
 * @param {number} nowMs
 * @returns {{ context: GpuContext, app: Map<string, string> | undefined }[]}
 */
function snapshot(sim, nowMs) {
  const held = sim.hold();
  return sim.gpus.map((gpu) => {
    const position = held ?? tracePosition(sim.clock, nowMs, gpu.index, sim.trace.durationMs);
    return {
      context: { gpu, sample: gpuSampleAt(sim.trace, position), count: sim.count, nowMs },
      app: appSampleAt(sim.trace, position),
    };
  });
}

/**
 * @param {Sim} sim
 * @param {Extract<Action, { kind: 'query' }>} action
 * @returns {Report | { error: string }}
 */
function queryReport(sim, action) {
  const isGpu = action.target === 'gpu';
  const resolved = resolveFields(action.list, isGpu ? gpuFieldNames() : appFieldNames());
  if (!resolved.ok) return { error: invalidFieldMessage(resolved.unknown) };
  const { fields } = resolved;
  const units = isGpu ? sim.trace.gpuUnits : sim.trace.appUnits;
  const fallbackApp = sim.trace.appRows[0]?.values ?? new Map();
  return {
    head: action.format.header ? headerLine(fields, units) : '',
    sample: (nowMs, tick) => snapshot(sim, nowMs).map(({ context, app }, i) => {
      // Garbage mode breaks rows even while idle, so that a parser sees them on every tick.
      const shown = sim.garbage ? (app ?? fallbackApp) : app;
      if (!isGpu && !shown) return '';
      const valueOf = isGpu
        ? (/** @type {string} */ f) => gpuValue(f, context)
        : (/** @type {string} */ f) => appValue(f, { gpu: context.gpu, app: shown ?? fallbackApp, nowMs });
      const row = rowLine(fields, valueOf, units, action.format);
      return sim.garbage ? garbleRow(row, tick + i) : row;
    }).join(''),
  };
}

/**
 * @param {Sim} sim
 * @returns {Report}
 */
function tableReport(sim) {
  return {
    head: '',
    sample: (nowMs, tick) => {
      const now = snapshot(sim, nowMs);
      const processes = now.flatMap(({ context, app }) => (app
        ? [{
          gpuIndex: context.gpu.index,
          pid: appValue('pid', { gpu: context.gpu, app, nowMs }),
          name: app.get('process_name') ?? '',
          usedMiB: app.get('used_gpu_memory') ?? '0',
        }]
        : []));
      const text = renderTable(now.map((s) => s.context), processes, nowMs);
      return sim.garbage ? garbleText(text, tick) : text;
    },
  };
}

/**
 * @param {Sim} sim
 * @param {Action} action any action that reads the GPUs
 * @returns {Report | { error: string }}
 */
export function makeReport(sim, action) {
  if (action.kind === 'query') return queryReport(sim, action);
  if (action.kind === 'list') {
    return {
      head: '',
      sample: (nowMs, tick) => {
        const text = renderList(snapshot(sim, nowMs).map((s) => s.context));
        return sim.garbage ? garbleText(text, tick) : text;
      },
    };
  }
  return tableReport(sim);
}
