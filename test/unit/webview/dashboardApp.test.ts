// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { WebviewToHostMessage } from '../../../src/shared/dashboardMessages';
import { DashboardApp } from '../../../webview/dashboard/dashboardApp';
import { fakeCharts, makeSnapshot, NOW } from './fixtures';
import type { FakeChart } from './fixtures';

const XSS = '<img src=x onerror=alert(1)>';

let root: HTMLElement;
let posted: WebviewToHostMessage[];
let charts: FakeChart[];
let app: DashboardApp;

beforeEach(() => {
  document.body.replaceChildren();
  root = document.createElement('div');
  root.id = 'app';
  document.body.append(root);
  posted = [];
  const fake = fakeCharts();
  charts = fake.charts;
  app = new DashboardApp(document, root, { post: (m) => posted.push(m), createChart: fake.factory });
});

const text = (selector: string): string[] => [...root.querySelectorAll(selector)].map((n) => n.textContent ?? '');

describe('dashboard DOM', () => {
  it('renders the header, a card per GPU with its numbers, and four charts per GPU', () => {
    app.render(makeSnapshot({ gpus: 2, label: 'lambda-h100' }));
    expect(text('.host-label')).toEqual(['lambda-h100']);
    expect(text('.state-text')).toEqual(['Live']);
    expect(text('.gpu-index')).toEqual(['GPU 0', 'GPU 1']);
    expect(text('.gpu-card:first-child .stat dd')).toEqual(['98 %', '70.6 / 79.6 GiB', '64 °C', '612 / 700 W', '1980 MHz', 'P0']);
    expect(charts).toHaveLength(8);
    expect(charts.map((c) => c.options.color).slice(0, 4)).toEqual(['blue', 'purple', 'orange', 'red']);
  });

  it('keeps hostile names as text: no element is created from them', () => {
    const s = makeSnapshot({ label: XSS, names: [XSS], processes: { kind: 'list', items: [{ pid: 1, name: XSS, gpuUuid: 'GPU-0', gpuIndex: 0, usedMemoryMiB: 10 }] } });
    app.render({ ...s, connection: { ...s.connection, state: 'reconnecting', retryInMs: 1000, error: { reason: 'unreachable', message: XSS } } });
    expect(root.querySelector('img')).toBeNull();
    expect(text('.host-label')).toEqual([XSS]);
    expect(text('.gpu-name')).toEqual([XSS]);
    expect(text('.processes-table tbody td:nth-child(2)')).toEqual([XSS]);
    expect(text('.error-text')).toEqual([XSS]);
  });

  it('shows a dash, never 0, for readings the driver did not give', () => {
    app.render(makeSnapshot({ current: { utilizationGpu: 0 } }));
    expect(text('.stat dd')).toEqual(['0 %', '–', '–', '–', '–', 'P0']);
  });

  it('says hidden container processes in a sentence and shows no table', () => {
    app.render(makeSnapshot({ processes: { kind: 'hiddenByContainer', count: 2, usedMemoryMiB: 40_960 } }));
    const table = root.querySelector<HTMLElement>('.processes-table');
    expect(table?.hidden).toBe(true);
    expect(text('.processes-text')[0]).toContain('The driver reports 2 processes using 40.0 GiB, but their PIDs belong to another PID namespace');
    app.render(makeSnapshot());
    expect(table?.hidden).toBe(false);
    expect(root.querySelector<HTMLElement>('.processes-text')?.hidden).toBe(true);
    expect(text('.processes-table tbody tr')).toEqual(['4242python train.py70.3 GiBGPU 0']);
  });

  it('shows the connection state, the error and Retry, and posts the header requests', () => {
    app.render(makeSnapshot({ connection: { state: 'stale', lastSampleAgeMs: 12_000, error: { reason: 'timeout', message: 'No sample for 12 s' } } }));
    expect(text('.state-text')).toEqual(['Stale (last sample 12 s ago)']);
    expect(root.querySelector('.state-badge')?.getAttribute('data-state')).toBe('stale');
    expect(root.querySelector<HTMLElement>('.error-row')?.hidden).toBe(false);
    const buttons = [...root.querySelectorAll<HTMLElement>('.header vscode-button')];
    expect(buttons.map((b) => b.textContent)).toEqual(['Retry', 'Open Terminal', 'Show Logs']);
    for (const b of buttons) b.click();
    expect(posted).toEqual([{ type: 'retry' }, { type: 'openTerminal' }, { type: 'showLogs' }]);
    app.render(makeSnapshot());
    expect(root.querySelector<HTMLElement>('.error-row')?.hidden).toBe(true);
  });

  it('shows a first connect waiting for its retry as connecting, never as reconnecting', () => {
    app.render(makeSnapshot({ gpus: 0, connection: { state: 'connecting', lastSampleAgeMs: null, retryInMs: 4_000, error: { reason: 'unreachable', message: 'Connection refused' } } }));
    expect(text('.state-text')).toEqual(['Connecting (retry in 4 s)']);
    expect(root.querySelector('.state-badge')?.getAttribute('data-state')).toBe('connecting');
    expect(text('.error-text')).toEqual(['Connection refused']);
    expect(root.textContent).not.toMatch(/Reconnecting/);
  });

  it('posts selectWindow on change and keeps the choice until the host confirms it', () => {
    app.render(makeSnapshot({ window: '5m' }));
    const select = root.querySelector('vscode-single-select') as HTMLElement & { value: string };
    expect(select.value).toBe('5m');
    expect([...select.querySelectorAll('vscode-option')].map((o) => o.getAttribute('value'))).toEqual(['5m', '1h', '24h']);
    select.value = '24h';
    select.dispatchEvent(new Event('change'));
    expect(posted).toEqual([{ type: 'selectWindow', window: '24h' }]);
    app.render(makeSnapshot({ window: '5m' }));
    expect(select.value).toBe('24h');
    app.render(makeSnapshot({ window: '24h' }));
    app.render(makeSnapshot({ window: '1h' }));
    expect(select.value).toBe('1h');
    select.value = '7d';
    select.dispatchEvent(new Event('change'));
    expect(posted).toHaveLength(1);
  });

  it('labels each chart with a summary and a hidden text alternative, kept up to date', () => {
    app.render(makeSnapshot());
    const plot = root.querySelector('.chart[data-metric=utilizationGpu] .plot');
    expect(plot?.getAttribute('role')).toBe('img');
    const first = plot?.getAttribute('aria-label') ?? '';
    expect(first).toMatch(/^GPU 0 utilisation, last 5 minutes: now \d+ %, min \d+ %, max \d+ %$/);
    expect(text('.chart[data-metric=utilizationGpu] .visually-hidden')).toEqual([first]);
    const s = makeSnapshot();
    const util = s.gpus[0]?.series.metrics.utilizationGpu.value;
    if (util) util[util.length - 1] = 7;
    app.render(s);
    expect(plot?.getAttribute('aria-label')).toContain('now 7 %');
  });

  it('updates in place: same nodes, same charts, new columns passed through untouched', () => {
    const first = makeSnapshot({ gpus: 8 });
    app.render(first);
    const card = root.querySelector('.gpu-card');
    const second = makeSnapshot({ gpus: 8, window: '24h' });
    app.render(second);
    expect(root.querySelector('.gpu-card')).toBe(card);
    expect(charts).toHaveLength(32);
    expect(charts.every((c) => c.updates === 2)).toBe(true);
    expect(charts[0]?.lastSeries).toBe(second.gpus[0]?.series.metrics.utilizationGpu);
    expect(charts[0]?.lastT).toBe(second.gpus[0]?.series.t);
    expect(charts[0]?.lastFrame).toEqual({ xMin: NOW - 86_400_000, xMax: NOW, yMax: 100 });
    expect(charts[1]?.lastFrame?.yMax).toBe(81_559);
    expect(root.querySelector('.gpu-grid')?.getAttribute('data-gpus')).toBe('8');
  });

  it('adds and removes cards when the GPU set changes, and redraws charts on theme change', () => {
    app.render(makeSnapshot({ gpus: 2 }));
    app.render(makeSnapshot({ gpus: 1 }));
    expect(text('.gpu-index')).toEqual(['GPU 0']);
    expect(charts.filter((c) => c.destroyed)).toHaveLength(4);
    app.redrawCharts();
    expect(charts.filter((c) => c.redraws === 1)).toHaveLength(4);
    app.render(makeSnapshot({ gpus: 0 }));
    expect(root.querySelector<HTMLElement>('.empty')?.hidden).toBe(false);
    expect(text('.empty')).toEqual(['This host reports no GPUs.']);
  });
});
