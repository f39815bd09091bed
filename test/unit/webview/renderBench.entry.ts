// Browser side of the render benchmark (renderBench.mjs bundles this): the real DashboardApp with real uPlot charts
// on canvas and the real draw scheduler, 8 GPUs; reports the work done in each animation frame.
import { DashboardApp } from '../../../webview/dashboard/dashboardApp';
import { DrawScheduler } from '../../../webview/shared/drawScheduler';
import type { FrameStats } from '../../../webview/shared/drawScheduler';
import { ThemePalette } from '../../../webview/shared/themePalette';
import { uplotChartFactory } from '../../../webview/shared/uplotChart';
import { makeSnapshot } from './fixtures';

type Scenario = { readonly label: string; readonly window: '5m' | '1h' | '24h'; readonly points?: number; readonly stepMs?: number };

const SCENARIOS: readonly Scenario[] = [
  { label: '24 h (1,440 buckets + min/max)', window: '24h' },
  { label: '1 h at 1 s (3,600 points)', window: '1h' },
  { label: '1 h at 100 ms (36,000 points)', window: '1h', points: 36_000, stepMs: 100 },
];

export interface BenchRow {
  /** render(): view model, DOM text, handing columns to the charts (one frame). */
  readonly renderP50: number;
  readonly renderMax: number;
  /** The chart-drawing frames that follow: the longest one, and how many frames a snapshot needed. */
  readonly drawFrameMax: number;
  readonly drawFrameP95: number;
  readonly framesPerSnapshot: number;
  readonly drawTotalMs: number;
}

const nextFrame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()));
const pct = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? Number.NaN;

async function scenario(s: Scenario, runs: number): Promise<BenchRow> {
  const frames: FrameStats[] = [];
  const scheduler = new DrawScheduler({ schedule: (cb) => requestAnimationFrame(cb), now: () => performance.now(), onFrame: (f) => frames.push(f) });
  const root = document.getElementById('app') as HTMLElement;
  const app = new DashboardApp(document, root, { post: () => undefined, createChart: uplotChartFactory(new ThemePalette(document.body), scheduler) });
  const snaps = [makeSnapshot({ gpus: 8, ...s }), makeSnapshot({ gpus: 8, ...s, current: { utilizationGpu: 41, memoryUsedMiB: 1_000 } })];
  const renders: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    if (i === 3) frames.length = 0;
    const t0 = performance.now();
    app.render(snaps[i % 2] as (typeof snaps)[number]);
    if (i >= 3) renders.push(performance.now() - t0);
    while (scheduler.pending > 0) await nextFrame();
    await nextFrame();
  }
  app.dispose();
  const ms = frames.map((f) => f.ms);
  return {
    renderP50: pct(renders, 0.5),
    renderMax: Math.max(...renders),
    drawFrameMax: Math.max(...ms),
    drawFrameP95: pct(ms, 0.95),
    framesPerSnapshot: frames.length / runs,
    drawTotalMs: ms.reduce((a, b) => a + b, 0) / runs,
  };
}

async function run(): Promise<Record<string, BenchRow>> {
  const out: Record<string, BenchRow> = {};
  for (const s of SCENARIOS) out[s.label] = await scenario(s, 20);
  return out;
}

/**
 * Heap over a simulated day: one dashboard on 8 GPUs with the 24 h window receives a new full snapshot for every
 * 86.4 s of a day (1,000 snapshots = 24 h, time compressed), as the host would send them. The Node side samples the
 * heap after a forced GC between batches; a flat line means nothing accumulates per snapshot.
 */
const heap: { app?: DashboardApp; scheduler?: DrawScheduler; step: number } = { step: 0 };
const SIMULATED_STEP_MS = 86_400;

async function heapStep(count: number): Promise<number> {
  if (!heap.app || !heap.scheduler) {
    heap.scheduler = new DrawScheduler({ schedule: (cb) => requestAnimationFrame(cb), now: () => performance.now(), onFrame: () => undefined });
    const root = document.getElementById('app') as HTMLElement;
    heap.app = new DashboardApp(document, root, { post: () => undefined, createChart: uplotChartFactory(new ThemePalette(document.body), heap.scheduler) });
  }
  for (let i = 0; i < count; i++) {
    heap.step++;
    const snap = makeSnapshot({ gpus: 8, window: '24h', current: { utilizationGpu: heap.step % 100, memoryUsedMiB: 1_000 + (heap.step % 5_000) } });
    const shift = heap.step * SIMULATED_STEP_MS;
    for (const gpu of snap.gpus) gpu.series.t.forEach((t, j, arr) => (arr[j] = t + shift));
    heap.app.render(snap);
    while (heap.scheduler.pending > 0) await nextFrame();
  }
  return heap.step;
}

(window as unknown as { runRenderBench: typeof run; heapStep: typeof heapStep }).runRenderBench = run;
(window as unknown as { heapStep: typeof heapStep }).heapStep = heapStep;
