import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHostMessage } from '../../shared/dashboardMessages';
import { buildSnapshot } from './dashboardSnapshot';
import { fieldsForQuery } from './fields';
import { HostHistory } from './history';
import { SampleGrouper } from './sampleGrouper';
import type { HostSample } from './sampleGrouper';
import { createGpuRowParser } from './sampleParser';
import { initialStreamState, reduceStreamState } from './streamState';

const FIELDS = fieldsForQuery(
  'timestamp,index,uuid,name,pci.bus_id,driver_version,pstate,utilization.gpu,utilization.memory,memory.total,memory.used,memory.free,temperature.gpu,temperature.memory,power.draw,power.limit,clocks.sm,clocks.mem,clocks.max.sm,fan.speed,ecc.errors.uncorrected.volatile.total,clocks_throttle_reasons.active,mig.mode.current,compute_mode'.split(','),
);

function replayTrace(): { samples: HostSample[]; history: HostHistory } {
  const grouper = new SampleGrouper({ parseLine: createGpuRowParser(FIELDS, { utcOffsetMinutes: 0 }), intervalMs: 500 });
  const lines = readFileSync('test/fixtures/nvidia-smi/h100-driver580/trace-gpu.csv', 'utf8').split('\n');
  const samples = [...lines.flatMap((l) => grouper.push(l)), ...grouper.flush()];
  const history = new HostHistory(500);
  for (const s of samples) history.push(s);
  return { samples, history };
}

describe('dashboard snapshot', () => {
  it('turns the replayed trace into a snapshot the webview accepts', () => {
    const { samples, history } = replayTrace();
    const latest = samples.at(-1);
    const now = latest?.t ?? 0;
    let state = reduceStreamState(initialStreamState(now - 1000), { type: 'connected', at: now - 1000 }, { intervalMs: 500 });
    state = reduceStreamState(state, { type: 'sample', at: now }, { intervalMs: 500 });
    const message = buildSnapshot({ host: { id: 'ssh:h100', label: 'h100' }, intervalMs: 500, window: '5m', now, state, latest, history, processes: { kind: 'unavailable' } });
    const parsed = parseHostMessage(JSON.parse(JSON.stringify(message)));
    expect(parsed.ok).toBe(true);
    expect(message.connection.state).toBe('live');
    const gpu = message.gpus[0];
    expect(gpu?.current.utilizationGpu).toBe(0);
    expect(gpu?.current.fanSpeedPercent).toBeUndefined();
    expect(gpu?.series.t).toHaveLength(178);
    expect(Math.max(...(gpu?.series.metrics.utilizationGpu.value.map((v) => v ?? 0) ?? []))).toBe(100);
    expect(gpu?.series.metrics.powerDrawW.value[0]).toBe(69.92);
  });

  it('sends an empty but valid series before the first sample, and 24 h buckets with min/max', () => {
    const { samples, history } = replayTrace();
    const empty = buildSnapshot({
      host: { id: 'h', label: 'h' }, intervalMs: 1000, window: '1h', now: 0, state: initialStreamState(0), latest: undefined, history: new HostHistory(1000), processes: { kind: 'unavailable' },
    });
    expect(parseHostMessage(empty).ok).toBe(true);
    expect(empty.gpus).toEqual([]);
    const latest = samples.at(-1);
    const day = buildSnapshot({
      host: { id: 'h', label: 'h' }, intervalMs: 500, window: '24h', now: latest?.t ?? 0, state: initialStreamState(0), latest, history, processes: { kind: 'notReported' },
    });
    expect(parseHostMessage(JSON.parse(JSON.stringify(day))).ok).toBe(true);
    const util = day.gpus[0]?.series.metrics.utilizationGpu;
    expect(util?.value).toHaveLength(1440);
    // Two minutes of trace (10:05 and 10:06), each with idle and training in it.
    expect(util?.max?.filter((v) => v !== null)).toEqual([100, 100]);
    expect(util?.min?.filter((v) => v !== null)).toEqual([0, 0]);
    expect(util?.value.filter((v) => v === null)).toHaveLength(1438);
  });
});
