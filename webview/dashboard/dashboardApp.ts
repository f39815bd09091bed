import type { SnapshotMessage, WebviewToHostMessage } from '../../src/shared/dashboardMessages';
import type { ChartFactory, ChartFrame } from '../shared/chartPort';
import { WINDOW_MS } from '../shared/chartSpecs';
import { el, setHidden, setText } from '../shared/dom';
import { gpuKey } from '../shared/gpuKey';
import { DashboardHeader } from './header';
import { GpuCard } from './gpuCard';
import { ProcessesSection } from './processesSection';
import { CostSection } from './costSection';
import { CheckpointSection } from './checkpointSection';
import { dashboardText } from './viewModel';
import { t } from '../../src/shared/l10n';

/** What the dashboard needs from outside: a way to talk to the host and a chart maker (uPlot, or a test fake). */
export interface DashboardDeps {
  readonly post: (message: WebviewToHostMessage) => void;
  readonly createChart: ChartFactory;
}

/**
 * The dashboard's DOM layer. It renders full snapshots incrementally: cards are keyed by GPU index and UUID and kept between
 * snapshots, so a new snapshot rewrites changed text and hands each chart its columns (setData), nothing more.
 */
export class DashboardApp {
  private readonly header: DashboardHeader;
  private readonly grid: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly processes: ProcessesSection;
  private readonly checkpoints: CheckpointSection;
  private readonly cost: CostSection;
  private readonly cards = new Map<string, GpuCard>();
  private readonly frame: ChartFrame = { xMin: 0, xMax: 1, yMax: null };
  private order = '';

  constructor(
    private readonly doc: Document,
    root: HTMLElement,
    private readonly deps: DashboardDeps,
  ) {
    this.header = new DashboardHeader(doc, deps.post);
    const main = el(doc, 'main', { className: 'dashboard' });
    this.empty = el(doc, 'p', { className: 'empty', text: t('Waiting for the first snapshot…') });
    this.grid = el(doc, 'div', { className: 'gpu-grid' });
    this.processes = new ProcessesSection(doc);
    this.checkpoints = new CheckpointSection(doc, deps.post);
    this.cost = new CostSection(doc);
    main.append(this.empty, this.grid, this.processes.element, this.checkpoints.element, this.cost.element);
    root.replaceChildren(this.header.element, main);
  }

  render(s: SnapshotMessage): void {
    const text = dashboardText(s);
    this.header.update(text.hostLabel, text.connection, text.window);
    setText(this.empty, text.emptyText ?? '');
    setHidden(this.empty, text.emptyText === null);
    this.syncCards(s);
    // The whole window is on the x axis, so 30 s of history sits at the right edge of a 5-minute chart.
    const lastT = s.gpus[0]?.series.t.at(-1) ?? s.sentAt;
    this.frame.xMax = Math.max(s.sentAt, lastT);
    this.frame.xMin = this.frame.xMax - WINDOW_MS[s.window];
    for (const gpu of s.gpus) this.cards.get(gpuKey(gpu))?.update(gpu, s.window, this.frame);
    this.processes.update(text.processes);
    this.checkpoints.update(s.checkpoints);
    this.cost.update(s.cost);
  }

  /** After a theme change: the charts re-read the palette's colours. */
  redrawCharts(): void {
    for (const card of this.cards.values()) card.redrawCharts();
  }

  dispose(): void {
    for (const card of this.cards.values()) card.destroy();
    this.cards.clear();
  }

  /** Adds cards for new GPUs, drops gone ones, and keeps index order; a no-op when the GPU set is unchanged. */
  private syncCards(s: SnapshotMessage): void {
    let order = '';
    for (const gpu of s.gpus) order += `${gpuKey(gpu)}\n`;
    if (order === this.order) return;
    this.order = order;
    const keep = new Set(s.gpus.map(gpuKey));
    for (const [uuid, card] of this.cards) {
      if (!keep.has(uuid)) {
        card.destroy();
        this.cards.delete(uuid);
      }
    }
    for (const gpu of [...s.gpus].sort((a, b) => a.index - b.index)) {
      const key = gpuKey(gpu);
      const card = this.cards.get(key) ?? new GpuCard(this.doc, this.grid, this.deps.createChart);
      this.cards.set(key, card);
      this.grid.append(card.element);
    }
    this.grid.setAttribute('data-gpus', String(s.gpus.length));
  }
}
