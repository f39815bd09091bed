import type { MetricSeries } from '../../src/shared/telemetryProtocol';
import type { ChartColor } from './themePalette';

/** How a chart is drawn. `compact` is a sidebar sparkline: no axes, no cursor, a few pixels high. */
export interface ChartOptions {
  readonly color: ChartColor;
  /** Tick labels on the y axis: short ("80 GiB", not "79.6 GiB"), the axis is narrow. */
  readonly axisFormat: (v: number) => string;
  readonly compact: boolean;
}

/** The visible ranges: x is the whole window (so a short history sits at the right edge), y top optional. */
export interface ChartFrame {
  xMin: number;
  xMax: number;
  yMax: number | null;
}

/**
 * A time-series chart as the view layer sees it. The columns are the snapshot's own arrays, passed through
 * untouched (null = gap); the DOM layer never knows which library draws them, so tests use an in-memory fake.
 */
export interface TimeChart {
  update(t: readonly number[], series: MetricSeries, frame: ChartFrame): void;
  /** Re-draw with the palette's current colours (theme change). */
  redraw(): void;
  destroy(): void;
}

export type ChartFactory = (container: HTMLElement, options: ChartOptions) => TimeChart;
