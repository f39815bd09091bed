// @vitest-environment happy-dom
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHostMessage } from '../../../src/shared/dashboardMessages';
import { buildSnapshot } from '../../../src/core/telemetry/dashboardSnapshot';
import { fieldsForQuery } from '../../../src/core/telemetry/fields';
import { HostHistory } from '../../../src/core/telemetry/history';
import { SampleGrouper } from '../../../src/core/telemetry/sampleGrouper';
import { createGpuRowParser } from '../../../src/core/telemetry/sampleParser';
import { initialStreamState, reduceStreamState } from '../../../src/core/telemetry/streamState';
import { DashboardApp } from '../../../webview/dashboard/dashboardApp';
import { fakeCharts } from './fixtures';

const FIELDS = fieldsForQuery(
  'timestamp,index,uuid,name,pci.bus_id,driver_version,pstate,utilization.gpu,utilization.memory,memory.total,memory.used,memory.free,temperature.gpu,temperature.memory,power.draw,power.limit,clocks.sm,clocks.mem,clocks.max.sm,fan.speed,ecc.errors.uncorrected.volatile.total,clocks_throttle_reasons.active,mig.mode.current,compute_mode'.split(','),
);

/** The real H100 training trace, through the real parser, history and snapshot builder, as the host would post it. */
function traceSnapshot(window: '5m' | '24h') {
  const grouper = new SampleGrouper({ parseLine: createGpuRowParser(FIELDS, { utcOffsetMinutes: 0 }), intervalMs: 500 });
  const lines = readFileSync('test/fixtures/nvidia-smi/h100-driver580/trace-gpu.csv', 'utf8').split('\n');
  const samples = [...lines.flatMap((l) => grouper.push(l)), ...grouper.flush()];
  const history = new HostHistory(500);
  for (const s of samples) history.push(s);
  const latest = samples.at(-1);
  const now = latest?.t ?? 0;
  let state = reduceStreamState(initialStreamState(now - 1000), { type: 'connected', at: now - 1000 }, { intervalMs: 500 });
  state = reduceStreamState(state, { type: 'sample', at: now }, { intervalMs: 500 });
  const message = buildSnapshot({ host: { id: 'ssh:h100', label: 'h100' }, intervalMs: 500, window, now, state, latest, history, processes: { kind: 'notReported' } });
  const parsed = parseHostMessage(JSON.parse(JSON.stringify(message)));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.message;
}

describe('dashboard on the real H100 trace', () => {
  it('renders the snapshot the host builds from a capture: numbers, dashes, chart columns and summaries', () => {
    const root = document.createElement('div');
    const { factory, charts } = fakeCharts();
    const app = new DashboardApp(document, root, { post: () => undefined, createChart: factory });
    app.render(traceSnapshot('5m'));
    const stats = [...root.querySelectorAll('.stat dd')].map((n) => n.textContent);
    expect(stats[0]).toBe('0 %');
    expect(stats).toHaveLength(6);
    expect(charts[0]?.lastT).toHaveLength(178);
    expect(root.querySelector('.chart[data-metric=utilizationGpu] .plot')?.getAttribute('aria-label')).toBe(
      'GPU 0 utilisation, last 5 minutes: now 0 %, min 0 %, max 100 %',
    );
    expect(root.querySelector('.processes-text')?.textContent).toContain('lists no processes');
    app.render(traceSnapshot('24h'));
    expect(charts[0]?.lastSeries?.max).toHaveLength(1440);
    expect(root.querySelector('.chart[data-metric=utilizationGpu] .plot')?.getAttribute('aria-label')).toMatch(/last 24 hours: now \d+ %, min 0 %, max 100 %/);
  });
});
