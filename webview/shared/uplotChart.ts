/*
 * Why uPlot: it draws on one <canvas> (no DOM node per point, unlike SVG libraries), is ~50 KB minified with no
 * dependencies, takes columnar arrays as they come over the wire (null = gap, drawn as a break, never a line across
 * or a 0), and redraws 10^5 points per series in well under a frame. Chart.js (~200 KB) and ECharts (~1 MB) are
 * heavier for what is four line charts per GPU; SVG charts slow down with 24 h × 8 GPUs of points.
 */
import uPlot from 'uplot';
import type { MetricSeries } from '../../src/shared/telemetryProtocol';
import type { ChartFactory, ChartFrame, ChartOptions, TimeChart } from './chartPort';
import type { ThemePalette } from './themePalette';

const FULL_HEIGHT = 120;
const COMPACT_HEIGHT = 24;

/** Returns a factory whose charts take their colours from `palette` at draw time. */
export function uplotChartFactory(palette: ThemePalette): ChartFactory {
  return (container, options) => new UplotChart(container, options, palette);
}

class UplotChart implements TimeChart {
  private readonly plot: uPlot;
  private readonly resize: ResizeObserver;
  // Mutated in place per update; the scale range callbacks read it, so no options object is rebuilt per snapshot.
  private readonly frame: ChartFrame = { xMin: 0, xMax: 1, yMax: null };
  private hasBands = false;

  constructor(container: HTMLElement, options: ChartOptions, palette: ThemePalette) {
    const height = options.compact ? COMPACT_HEIGHT : FULL_HEIGHT;
    this.plot = new uPlot(plotOptions(options, palette, this.frame, Math.max(container.clientWidth, 40), height), [[], [], [], []], container);
    // The card grid reflows with the panel; a canvas does not, so follow the container's width.
    this.resize = new ResizeObserver(() => {
      const width = Math.max(container.clientWidth, 40);
      if (width !== this.plot.width) this.plot.setSize({ width, height });
    });
    this.resize.observe(container);
  }

  update(t: readonly number[], series: MetricSeries, frame: ChartFrame): void {
    this.frame.xMin = frame.xMin;
    this.frame.xMax = frame.xMax;
    this.frame.yMax = frame.yMax;
    const bands = series.min !== undefined && series.max !== undefined;
    if (bands !== this.hasBands) {
      this.hasBands = bands;
      this.plot.setSeries(2, { show: bands });
      this.plot.setSeries(3, { show: bands });
    }
    // The snapshot's arrays go in as they are: without min/max the value column stands in for the hidden series,
    // which keeps the column count fixed without allocating a column of nulls.
    const data = [t, series.value, series.min ?? series.value, series.max ?? series.value] as unknown as uPlot.AlignedData;
    this.plot.setData(data, true);
  }

  redraw(): void {
    this.plot.redraw(false, true);
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot.destroy();
  }
}

function plotOptions(options: ChartOptions, palette: ThemePalette, frame: ChartFrame, width: number, height: number): uPlot.Options {
  const stroke = (): string => palette.colors[options.color];
  const axis = (): string => palette.foreground;
  const grid = { stroke: (): string => palette.grid, width: 1 };
  const band: uPlot.Series = { stroke, width: 1, alpha: 0.35, show: false, spanGaps: false };
  return {
    width,
    height,
    // Timestamps are epoch ms on the wire; ms: 1 saves converting a column to seconds on every snapshot.
    ms: 1,
    legend: { show: false },
    // No hover cursor: values are in the card's numbers and the text alternative, which keyboard users reach too.
    cursor: { show: false },
    padding: options.compact ? [2, 0, 2, 0] : [8, 8, 0, 0],
    scales: {
      x: { time: true, range: (): uPlot.Range.MinMax => [frame.xMin, frame.xMax] },
      y: { range: (_u, _min, max): uPlot.Range.MinMax => [0, frame.yMax ?? (Number.isFinite(max) && max > 0 ? max * 1.1 : 1)] },
    },
    axes: options.compact
      ? [{ show: false }, { show: false }]
      : [
          { stroke: axis, grid, ticks: grid },
          { stroke: axis, grid, ticks: grid, size: 56, values: (_u, splits): string[] => splits.map((v) => options.format(v)) },
        ],
    series: [{}, { stroke, width: options.compact ? 1 : 1.5, spanGaps: false, points: { show: false } }, { ...band }, { ...band }],
  };
}
