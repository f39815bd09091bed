import type uPlot from 'uplot';
import type { ChartFrame, ChartOptions } from './chartPort';
import type { ThemePalette } from './themePalette';
import { formatClock } from '../../src/shared/localeFormat';


/**
 * uPlot options for one chart. Colours are callbacks that read the palette at draw time, so a theme change is a
 * redraw, not a rebuild. Series 1 is the value; 2 and 3 are the 24 h buckets' min and max, hidden otherwise.
 */
export function plotOptions(options: ChartOptions, palette: ThemePalette, frame: ChartFrame, width: number, height: number): uPlot.Options {
  const stroke = (): string => palette.colors[options.color];
  const axis = (): string => palette.foreground;
  const grid = { stroke: (): string => palette.grid, width: 1 };
  const band: uPlot.Series = { stroke, width: 1, alpha: 0.35, show: false, spanGaps: false, points: { show: false } };
  return {
    width,
    height,
    // Timestamps are epoch ms on the wire; ms: 1 saves converting a column to seconds on every snapshot.
    ms: 1,
    legend: { show: false },
    // No hover cursor: values are in the card's numbers and the text alternative, which keyboard users reach too.
    cursor: { show: false },
    padding: options.compact ? [2, 0, 2, 0] : [8, 16, 0, 0],
    scales: {
      x: { time: true, range: (): uPlot.Range.MinMax => [frame.xMin, frame.xMax] },
      y: { range: (_u, _min, max): uPlot.Range.MinMax => [0, frame.yMax ?? (Number.isFinite(max) && max > 0 ? max * 1.1 : 1)] },
    },
    axes: options.compact
      ? [{ show: false }, { show: false }]
      : [
          // Clock time only: the window is at most a day, and uPlot's default date line crowds a narrow chart.
          { stroke: axis, grid, ticks: grid, space: 60, values: (_u, splits): string[] => splits.map((v) => formatClock(v)) },
          { stroke: axis, grid, ticks: grid, size: 56, values: (_u, splits): string[] => splits.map((v) => options.axisFormat(v)) },
        ],
    series: [{}, { stroke, width: options.compact ? 1 : 1.5, spanGaps: false, points: { show: false } }, { ...band }, { ...band }],
  };
}
