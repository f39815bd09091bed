import type { SnapshotMessage } from '../../src/shared/dashboardMessages';
import type { ChartFactory } from './chartPort';
import { DrawScheduler } from './drawScheduler';
import { latestPerFrame } from './frameScheduler';
import { connectHost } from './hostChannel';
import type { HostChannel, VsCodeApi } from './hostChannel';
import { ThemePalette, watchTheme } from './themePalette';
import { uplotChartFactory } from './uplotChart';

/** What an app must offer bootstrap: render a snapshot, redraw charts after a theme change. */
export interface WebviewApp {
  render(snapshot: SnapshotMessage): void;
  redrawCharts(): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/**
 * The browser wiring both webviews share: the VS Code API, the theme palette, one render per animation frame, and the
 * validated host channel. Only the entry points call this; everything it wires is tested with fakes.
 */
export function bootstrap(makeApp: (root: HTMLElement, createChart: ChartFactory, post: HostChannel['post']) => WebviewApp): void {
  const root = document.getElementById('app') ?? document.body;
  // acquireVsCodeApi may be called once per page; the channel owns the result.
  const api = acquireVsCodeApi();
  const palette = new ThemePalette(document.body);
  const post: HostChannel['post'] = (m) => api.postMessage(m);
  const scheduler = new DrawScheduler({ schedule: (cb) => requestAnimationFrame(cb), now: () => performance.now() });
  const app = makeApp(root, uplotChartFactory(palette, scheduler), post);
  watchTheme(document.body, () => {
    palette.refresh();
    app.redrawCharts();
  });
  const render = latestPerFrame((s: SnapshotMessage) => app.render(s), (cb) => requestAnimationFrame(cb));
  connectHost({ source: window, api, onSnapshot: render, log: console });
}
