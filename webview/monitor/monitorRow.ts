import type { HistoryWindow } from '../../src/shared/gpuMetrics';
import type { GpuSnapshot } from '../../src/shared/telemetryProtocol';
import type { ChartFactory, ChartFrame, TimeChart } from '../shared/chartPort';
import { chartSummary, MEMORY, UTILISATION } from '../shared/chartSpecs';
import type { ChartSpec } from '../shared/chartSpecs';
import { el, setAttr, setText } from '../shared/dom';
import { emptySummary, summarizeSeries } from '../shared/seriesSummary';
import { monitorRowText } from './viewModel';
import { t } from '../../src/shared/l10n';

interface Spark {
  readonly spec: ChartSpec;
  readonly chart: TimeChart;
  readonly plot: HTMLElement;
  readonly value: HTMLElement;
}

/** One GPU in the sidebar: name, then a sparkline per metric with its current value beside it. Built once. */
export class MonitorRow {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly name: HTMLElement;
  private readonly sparks: Spark[];
  private readonly summary = emptySummary();

  constructor(doc: Document, parent: HTMLElement, createChart: ChartFactory) {
    this.element = el(doc, 'li', { className: 'gpu-row' });
    const line = el(doc, 'div', { className: 'gpu-line' });
    this.title = el(doc, 'span', { className: 'gpu-index' });
    this.name = el(doc, 'span', { className: 'gpu-name' });
    line.append(this.title, this.name);
    this.element.append(line);
    parent.append(this.element);
    this.sparks = [this.addSpark(doc, UTILISATION, t('Util'), createChart), this.addSpark(doc, MEMORY, t('Mem'), createChart)];
  }

  update(gpu: GpuSnapshot, window: HistoryWindow, frame: ChartFrame): void {
    const text = monitorRowText(gpu);
    setText(this.title, text.title);
    setText(this.name, text.name);
    // The name can be long; the full text stays reachable as a tooltip (an attribute, still not markup).
    setAttr(this.name, 'title', text.name);
    const values = [text.utilisation, text.memory];
    this.sparks.forEach((spark, i) => {
      const series = gpu.series.metrics[spark.spec.key];
      frame.yMax = spark.spec.yMax(gpu.current);
      spark.chart.update(gpu.series.t, series, frame);
      setText(spark.value, values[i] ?? '');
      setAttr(spark.plot, 'aria-label', chartSummary(gpu.index, spark.spec, window, summarizeSeries(series, this.summary)));
    });
  }

  redrawCharts(): void {
    for (const s of this.sparks) s.chart.redraw();
  }

  destroy(): void {
    for (const s of this.sparks) s.chart.destroy();
    this.element.remove();
  }

  private addSpark(doc: Document, spec: ChartSpec, label: string, createChart: ChartFactory): Spark {
    const row = el(doc, 'div', { className: 'spark-row', attrs: { 'data-metric': spec.key } });
    const plot = el(doc, 'div', { className: 'spark', attrs: { role: 'img', 'aria-label': spec.title } });
    const value = el(doc, 'span', { className: 'spark-value' });
    row.append(el(doc, 'span', { className: 'spark-label', text: label, attrs: { title: spec.title } }), plot, value);
    this.element.append(row);
    return { spec, plot, value, chart: createChart(plot, { color: spec.color, axisFormat: spec.axisFormat, compact: true }) };
  }
}
