import type { SnapshotMessage, WebviewToHostMessage } from '../../src/shared/dashboardMessages';
import type { ChartFactory, ChartFrame } from '../shared/chartPort';
import { WINDOW_MS } from '../shared/chartSpecs';
import { connectionText } from '../shared/connectionText';
import { el, setHidden, setText } from '../shared/dom';
import { StateBadge } from '../shared/stateBadge';
import { button } from '../shared/button';
import { gpuKey } from '../shared/gpuKey';
import { MonitorRow } from './monitorRow';
import { NO_HOST_TEXT } from './viewModel';
import { t } from '../../src/shared/l10n';

export interface MonitorDeps {
  readonly post: (message: WebviewToHostMessage) => void;
  readonly createChart: ChartFactory;
}

/**
 * The sidebar GPU Monitor: the selected host's label and state, then one compact line per GPU. Same protocol and the
 * same incremental rendering as the dashboard; the host sends it the 5-minute window.
 */
export class MonitorApp {
  private readonly hostLabel: HTMLElement;
  private readonly badge: StateBadge;
  private readonly error: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly list: HTMLElement;
  private readonly rows = new Map<string, MonitorRow>();
  private readonly frame: ChartFrame = { xMin: 0, xMax: 1, yMax: null };
  private order = '';

  constructor(
    private readonly doc: Document,
    root: HTMLElement,
    private readonly deps: MonitorDeps,
  ) {
    const header = el(doc, 'header', { className: 'monitor-header' });
    this.hostLabel = el(doc, 'span', { className: 'host-label' });
    this.badge = new StateBadge(doc);
    const open = button(doc, t('Open Dashboard'), 'graph', true);
    open.addEventListener('click', () => deps.post({ type: 'openDashboard' }));
    header.append(this.hostLabel, this.badge.element, open);
    this.error = el(doc, 'p', { className: 'error-text', attrs: { role: 'alert' } });
    this.error.hidden = true;
    this.empty = el(doc, 'p', { className: 'empty', text: NO_HOST_TEXT });
    this.list = el(doc, 'ul', { className: 'gpu-list', attrs: { 'aria-label': 'GPUs' } });
    root.replaceChildren(header, this.error, this.empty, this.list);
  }

  render(s: SnapshotMessage): void {
    const connection = connectionText(s.connection);
    setText(this.hostLabel, s.host.label || s.host.id);
    this.badge.update(connection);
    setText(this.error, connection.error ?? '');
    setHidden(this.error, connection.error === null);
    setText(this.empty, s.gpus.length === 0 ? t('No GPU samples from this host yet.') : '');
    setHidden(this.empty, s.gpus.length > 0);
    this.syncRows(s);
    this.frame.xMax = Math.max(s.sentAt, s.gpus[0]?.series.t.at(-1) ?? s.sentAt);
    this.frame.xMin = this.frame.xMax - WINDOW_MS[s.window];
    for (const gpu of s.gpus) this.rows.get(gpuKey(gpu))?.update(gpu, s.window, this.frame);
  }

  redrawCharts(): void {
    for (const row of this.rows.values()) row.redrawCharts();
  }

  /** Keeps one row per GPU in index order; a no-op while the GPU set is unchanged. */
  private syncRows(s: SnapshotMessage): void {
    const keys = s.gpus.map(gpuKey);
    const order = keys.join('\n');
    if (order === this.order) return;
    this.order = order;
    for (const [key, row] of this.rows) {
      if (!keys.includes(key)) {
        row.destroy();
        this.rows.delete(key);
      }
    }
    const sorted = [...s.gpus].sort((a, b) => a.index - b.index);
    for (const gpu of sorted) {
      const key = gpuKey(gpu);
      const row = this.rows.get(key) ?? new MonitorRow(this.doc, this.list, this.deps.createChart);
      this.rows.set(key, row);
      this.list.append(row.element);
    }
  }
}
