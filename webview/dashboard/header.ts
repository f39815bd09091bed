import type { WebviewToHostMessage } from '../../src/shared/dashboardMessages';
import { HISTORY_WINDOWS, historyWindowSchema } from '../../src/shared/gpuMetrics';
import type { HistoryWindow } from '../../src/shared/gpuMetrics';
import type { ConnectionText } from '../shared/connectionText';
import { WINDOW_LABELS } from '../shared/chartSpecs';
import { el, setHidden, setText } from '../shared/dom';
import { StateBadge } from '../shared/stateBadge';
import { button } from '../shared/button';
import { t } from '../../src/shared/l10n';

/** The dashboard's header: host, state badge, error + Retry, window selector and the actions, in tab order. */
export class DashboardHeader {
  readonly element: HTMLElement;
  private readonly hostLabel: HTMLElement;
  private readonly badge: StateBadge;
  private readonly errorRow: HTMLElement;
  private readonly errorText: HTMLElement;
  private readonly select: HTMLElement & { value?: unknown };
  /** The window the user picked and the host has not confirmed yet: a snapshot still on the old one must not undo it. */
  private pendingWindow: HistoryWindow | null = null;

  constructor(doc: Document, post: (m: WebviewToHostMessage) => void) {
    this.element = el(doc, 'header', { className: 'header' });
    const titleRow = el(doc, 'div', { className: 'title-row' });
    this.hostLabel = el(doc, 'h1', { className: 'host-label' });
    this.badge = new StateBadge(doc);
    titleRow.append(this.hostLabel, this.badge.element);

    this.errorRow = el(doc, 'div', { className: 'error-row', attrs: { role: 'alert' } });
    this.errorText = el(doc, 'span', { className: 'error-text' });
    const retry = button(doc, t('Retry'), 'refresh', true);
    retry.addEventListener('click', () => post({ type: 'retry' }));
    this.errorRow.append(this.errorText, retry);
    this.errorRow.hidden = true;

    this.select = windowSelect(doc);
    this.select.addEventListener('change', () => this.onWindowChange(post));
    const terminal = button(doc, t('Open Terminal'), 'terminal', false);
    terminal.addEventListener('click', () => post({ type: 'openTerminal' }));
    const logs = button(doc, t('Show Logs'), 'output', true);
    logs.addEventListener('click', () => post({ type: 'showLogs' }));
    const toolbar = el(doc, 'div', { className: 'toolbar' });
    toolbar.append(el(doc, 'span', { className: 'toolbar-label', text: t('Window'), attrs: { id: 'window-label' } }), this.select, terminal, logs);

    this.element.append(titleRow, this.errorRow, toolbar);
  }

  update(hostLabel: string, connection: ConnectionText, window: HistoryWindow): void {
    setText(this.hostLabel, hostLabel);
    this.badge.update(connection);
    setText(this.errorText, connection.error ?? '');
    setHidden(this.errorRow, !connection.canRetry);
    if (this.pendingWindow === window) this.pendingWindow = null;
    if (this.pendingWindow === null && this.select.value !== window) this.select.value = window;
  }

  private onWindowChange(post: (m: WebviewToHostMessage) => void): void {
    const parsed = historyWindowSchema.safeParse(this.select.value);
    if (!parsed.success) return;
    this.pendingWindow = parsed.data;
    post({ type: 'selectWindow', window: parsed.data });
  }
}

function windowSelect(doc: Document): HTMLElement {
  const select = el(doc, 'vscode-single-select', { className: 'window-select', attrs: { 'aria-labelledby': 'window-label' } });
  for (const w of HISTORY_WINDOWS) select.append(el(doc, 'vscode-option', { text: WINDOW_LABELS[w], attrs: { value: w } }));
  return select;
}
