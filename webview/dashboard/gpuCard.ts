import type { HistoryWindow } from '../../src/shared/gpuMetrics';
import type { GpuSnapshot } from '../../src/shared/telemetryProtocol';
import type { ChartFactory, ChartFrame, TimeChart } from '../shared/chartPort';
import { chartSummary, DASHBOARD_CHARTS } from '../shared/chartSpecs';
import type { ChartSpec } from '../shared/chartSpecs';
import { el, setAttr, setText } from '../shared/dom';
import { emptySummary, summarizeSeries } from '../shared/seriesSummary';
import { gpuCardText, STAT_LABELS } from './viewModel';

interface ChartSlot {
  readonly spec: ChartSpec;
  readonly chart: TimeChart;
  readonly plot: HTMLElement;
  readonly alt: HTMLElement;
}

/**
 * One GPU's card. Its DOM is built once; each snapshot only rewrites text that changed and hands the chart its new
 * columns, so a render is O(points) in the charts and O(1) in the DOM.
 */
export class GpuCard {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly name: HTMLElement;
  private readonly values: HTMLElement[] = [];
  private readonly slots: ChartSlot[] = [];
  // Reused across snapshots: the per-chart work allocates nothing but the strings it shows.
  private readonly summary = emptySummary();

  constructor(doc: Document, parent: HTMLElement, createChart: ChartFactory) {
    this.element = el(doc, 'section', { className: 'gpu-card' });
    const heading = el(doc, 'h2', { className: 'gpu-heading' });
    this.title = el(doc, 'span', { className: 'gpu-index' });
    this.name = el(doc, 'span', { className: 'gpu-name' });
    heading.append(this.title, this.name);
    const stats = el(doc, 'dl', { className: 'stats' });
    for (const label of STAT_LABELS) {
      const value = el(doc, 'dd', { text: '–' });
      const row = el(doc, 'div', { className: 'stat' });
      row.append(el(doc, 'dt', { text: label }), value);
      stats.append(row);
      this.values.push(value);
    }
    const charts = el(doc, 'div', { className: 'charts' });
    this.element.append(heading, stats, charts);
    // Mounted before the charts are made: a canvas chart sizes itself from its container's width.
    parent.append(this.element);
    for (const spec of DASHBOARD_CHARTS) this.slots.push(this.addChart(doc, charts, spec, createChart));
  }

  update(gpu: GpuSnapshot, window: HistoryWindow, frame: ChartFrame): void {
    const text = gpuCardText(gpu);
    setText(this.title, text.title);
    setText(this.name, text.name);
    setAttr(this.element, 'aria-label', `${text.title}: ${text.name}`);
    text.stats.forEach((s, i) => {
      const node = this.values[i];
      if (node) setText(node, s.value);
    });
    for (const slot of this.slots) {
      const series = gpu.series.metrics[slot.spec.key];
      frame.yMax = slot.spec.yMax(gpu.current);
      slot.chart.update(gpu.series.t, series, frame);
      const summary = chartSummary(gpu.index, slot.spec, window, summarizeSeries(series, this.summary));
      setAttr(slot.plot, 'aria-label', summary);
      setText(slot.alt, summary);
    }
  }

  redrawCharts(): void {
    for (const slot of this.slots) slot.chart.redraw();
  }

  destroy(): void {
    for (const slot of this.slots) slot.chart.destroy();
    this.element.remove();
  }

  private addChart(doc: Document, parent: HTMLElement, spec: ChartSpec, createChart: ChartFactory): ChartSlot {
    const figure = el(doc, 'figure', { className: 'chart', attrs: { 'data-metric': spec.key } });
    const plot = el(doc, 'div', { className: 'plot', attrs: { role: 'img', 'aria-label': spec.title } });
    const alt = el(doc, 'span', { className: 'visually-hidden' });
    figure.append(el(doc, 'figcaption', { text: spec.title }), plot, alt);
    parent.append(figure);
    return { spec, plot, alt, chart: createChart(plot, { color: spec.color, axisFormat: spec.axisFormat, compact: false }) };
  }
}
