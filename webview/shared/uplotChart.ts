/*
 * Why uPlot: it draws on one <canvas> (no DOM node per point, unlike SVG libraries), is ~50 KB minified with no
 * dependencies, takes columnar arrays as they come over the wire (null = gap, drawn as a break, never a line across
 * or a 0), and redraws 10^5 points per series in well under a frame. Chart.js (~200 KB) and ECharts (~1 MB) are
 * heavier for what is four line charts per GPU; SVG charts slow down with 24 h × 8 GPUs of points.
 */
import uPlot from 'uplot';
import type { MetricSeries } from '../../src/shared/telemetryProtocol';
import type { ChartFactory, ChartFrame, ChartOptions, TimeChart } from './chartPort';
import type { Drawable, DrawScheduler } from './drawScheduler';
import type { ThemePalette } from './themePalette';
import { plotOptions } from './uplotOptions';

const FULL_HEIGHT = 120;
const COMPACT_HEIGHT = 24;
const MIN_WIDTH = 40;

/** Returns a factory whose charts take their colours from `palette` at draw time and draw when `scheduler` says. */
export function uplotChartFactory(palette: ThemePalette, scheduler: DrawScheduler): ChartFactory {
  return (container, options) => new UplotChart(container, options, palette, scheduler);
}

class UplotChart implements TimeChart, Drawable {
  visible = true;
  private readonly plot: uPlot;
  private readonly height: number;
  private readonly observers: { disconnect(): void }[] = [];
  // Mutated in place; the scale range callbacks read it, so no options object is rebuilt per snapshot.
  private readonly frame: ChartFrame = { xMin: 0, xMax: 1, yMax: null };
  private pendingT: readonly number[] | null = null;
  private pendingSeries: MetricSeries | null = null;
  private hasBands = false;

  constructor(
    private readonly container: HTMLElement,
    options: ChartOptions,
    palette: ThemePalette,
    private readonly scheduler: DrawScheduler,
  ) {
    this.height = options.compact ? COMPACT_HEIGHT : FULL_HEIGHT;
    this.plot = new uPlot(plotOptions(options, palette, this.frame, this.width(), this.height), [[], [], [], []], container);
    this.observe();
  }

  update(t: readonly number[], series: MetricSeries, frame: ChartFrame): void {
    this.frame.xMin = frame.xMin;
    this.frame.xMax = frame.xMax;
    this.frame.yMax = frame.yMax;
    this.pendingT = t;
    this.pendingSeries = series;
    this.scheduler.request(this);
  }

  redraw(): void {
    this.scheduler.request(this);
  }

  draw(): void {
    const t = this.pendingT;
    const series = this.pendingSeries;
    this.pendingT = null;
    this.pendingSeries = null;
    // batch() draws now instead of in a microtask, so the scheduler's budget measures the real cost.
    this.plot.batch(() => {
      if (t === null || series === null) {
        this.plot.redraw(false, true);
        return;
      }
      const bands = series.min !== undefined && series.max !== undefined;
      if (bands !== this.hasBands) {
        this.hasBands = bands;
        this.plot.setSeries(2, { show: bands });
        this.plot.setSeries(3, { show: bands });
      }
      // The snapshot's arrays go in as they are: without min/max the value column stands in for the hidden
      // series, which keeps the column count fixed without allocating a column of nulls.
      const data = [t, series.value, series.min ?? series.value, series.max ?? series.value] as unknown as uPlot.AlignedData;
      this.plot.setData(data, true);
    });
  }

  destroy(): void {
    this.scheduler.cancel(this);
    for (const o of this.observers) o.disconnect();
    this.plot.destroy();
  }

  private width(): number {
    return Math.max(this.container.clientWidth, MIN_WIDTH);
  }

  private observe(): void {
    // The card grid reflows with the panel; a canvas does not, so follow the container's width.
    const resize = new ResizeObserver(() => {
      const width = this.width();
      if (width !== this.plot.width) this.plot.setSize({ width, height: this.height });
    });
    resize.observe(this.container);
    const intersection = new IntersectionObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (!entry) return;
      this.visible = entry.isIntersecting;
      if (this.visible && this.pendingSeries !== null) this.scheduler.request(this);
    });
    intersection.observe(this.container);
    this.observers.push(resize, intersection);
  }
}
