import type { CostStatus } from '../../src/shared/costStatus';
import { t } from '../../src/shared/l10n';
import { formatPerHour, formatUsd } from '../../src/shared/localeFormat';
import { el, setHidden, setText } from '../shared/dom';

/** The counters as label/value pairs, in the order the section shows them. */
export function costRows(s: CostStatus): [string, string][] {
  const rows: [string, string][] = [];
  if (s.machineMicros !== undefined) rows.push([t('This machine'), formatUsd(s.machineMicros)]);
  rows.push([t('Today'), formatUsd(s.todayMicros)], [t('This month'), formatUsd(s.monthMicros)], [t('Projected month'), formatUsd(s.projectedMonthMicros)], [t('Burn rate'), formatPerHour(s.burnMicrosPerHour)]);
  return rows;
}

/**
 * The dashboard's cost and auto-stop section (issue 5): counters for this machine and all of them, the auto-stop
 * verdict in words, and the audit lines. Everything is put on the page as text.
 */
export class CostSection {
  readonly element: HTMLElement;
  private readonly counters: HTMLElement;
  private readonly verdict: HTMLElement;
  private readonly audit: HTMLElement;
  private shown = '';

  constructor(private readonly doc: Document) {
    this.element = el(doc, 'section', { className: 'cost', attrs: { 'aria-labelledby': 'cost-title' } });
    this.counters = el(doc, 'dl', { className: 'cost-counters' });
    this.verdict = el(doc, 'p', { className: 'cost-autostop', attrs: { role: 'status' } });
    this.audit = el(doc, 'ul', { className: 'cost-audit' });
    this.element.append(el(doc, 'h2', { text: t('Cost and auto-stop'), attrs: { id: 'cost-title' } }), this.counters, this.verdict, this.audit);
    this.element.hidden = true;
  }

  update(status: CostStatus | undefined): void {
    setHidden(this.element, status === undefined);
    if (!status) return;
    const key = JSON.stringify(status);
    if (key === this.shown) return;
    this.shown = key;
    this.counters.replaceChildren(...costRows(status).flatMap(([label, value]) => [el(this.doc, 'dt', { text: label }), el(this.doc, 'dd', { text: value, className: 'num' })]));
    setText(this.verdict, status.autoStop ? t('Auto-stop: {0}', status.autoStop.explanation) : t('Auto-stop is off for this machine.'));
    this.audit.replaceChildren(...status.audit.map((l) => el(this.doc, 'li', { text: l })));
    setHidden(this.audit, status.audit.length === 0);
  }
}
