// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { WebviewToHostMessage } from '../../../src/shared/dashboardMessages';
import { parseWebviewMessage } from '../../../src/shared/dashboardMessages';
import { MonitorApp } from '../../../webview/monitor/monitorApp';
import { NO_HOST_TEXT } from '../../../webview/monitor/viewModel';
import { fakeCharts, makeSnapshot, NOW } from './fixtures';
import type { FakeChart } from './fixtures';

let root: HTMLElement;
let posted: WebviewToHostMessage[];
let charts: FakeChart[];
let app: MonitorApp;

beforeEach(() => {
  root = document.createElement('div');
  document.body.replaceChildren(root);
  posted = [];
  const fake = fakeCharts();
  charts = fake.charts;
  app = new MonitorApp(document, root, { post: (m) => posted.push(m), createChart: fake.factory });
});

const text = (selector: string): string[] => [...root.querySelectorAll(selector)].map((n) => n.textContent ?? '');

describe('GPU Monitor DOM', () => {
  it('asks for a selection until the first snapshot', () => {
    expect(text('.empty')).toEqual([NO_HOST_TEXT]);
    expect(root.querySelectorAll('.gpu-row')).toHaveLength(0);
  });

  it('shows one line per GPU with utilisation and memory sparklines and numbers, and the state badge', () => {
    app.render(makeSnapshot({ gpus: 8, label: 'runpod-8x' }));
    expect(text('.host-label')).toEqual(['runpod-8x']);
    expect(text('.state-text')).toEqual(['Live']);
    expect(root.querySelectorAll('.gpu-row')).toHaveLength(8);
    expect(text('.gpu-row:first-child .spark-value')).toEqual(['98 %', '70.6 / 79.6 GiB']);
    expect(charts).toHaveLength(16);
    expect(charts.every((c) => c.options.compact)).toBe(true);
    expect(charts[0]?.lastFrame).toEqual({ xMin: NOW - 300_000, xMax: NOW, yMax: 100 });
    expect(root.querySelector('.gpu-row .spark')?.getAttribute('aria-label')).toMatch(/^GPU 0 utilisation, last 5 minutes: now/);
    expect(root.querySelector<HTMLElement>('.empty')?.hidden).toBe(true);
  });

  it('renders hostile names as text and absent values as a dash', () => {
    const xss = '<img src=x onerror=alert(1)>';
    app.render(makeSnapshot({ names: [xss], label: xss, current: {} }));
    expect(root.querySelector('img')).toBeNull();
    expect(text('.gpu-name')).toEqual([xss]);
    expect(text('.spark-value')).toEqual(['–', '–']);
  });

  it('posts a valid openDashboard request, and shows the error of a dropped connection', () => {
    app.render(makeSnapshot({ connection: { state: 'reconnecting', retryInMs: 4_000, error: { reason: 'unreachable', message: 'Host unreachable' } } }));
    expect(text('.state-text')).toEqual(['Reconnecting (retry in 4 s)']);
    expect(text('.error-text')).toEqual(['Host unreachable']);
    root.querySelector<HTMLElement>('vscode-button')?.click();
    expect(posted).toEqual([{ type: 'openDashboard' }]);
    expect(parseWebviewMessage(posted[0]).ok).toBe(true);
  });

  it('updates in place and follows a change of host', () => {
    app.render(makeSnapshot({ gpus: 2 }));
    const row = root.querySelector('.gpu-row');
    app.render(makeSnapshot({ gpus: 2 }));
    expect(root.querySelector('.gpu-row')).toBe(row);
    expect(charts.every((c) => c.updates === 2)).toBe(true);
    app.render(makeSnapshot({ gpus: 1, names: ['A100'] }));
    expect(text('.gpu-name')).toEqual(['A100']);
    expect(charts.filter((c) => c.destroyed)).toHaveLength(2);
    app.redrawCharts();
    expect(charts.filter((c) => c.redraws > 0)).toHaveLength(2);
  });
});
