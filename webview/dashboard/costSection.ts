import type { BudgetRow, CostStatus } from '../../src/shared/costStatus';
import { t } from '../../src/shared/l10n';
import { formatPerHour, formatUsd } from '../../src/shared/localeFormat';
import { el, setHidden, setText } from '../shared/dom';

/** How a counter row is marked: a budget past an alert threshold, or over its limit. */
export type CostRowMark = 'near' | 'over';

export interface CostRow {
  readonly label: string;
  readonly value: string;
  readonly mark?: CostRowMark;
}

/** The counters as label/value rows, in the order the section shows them: this machine, the totals, then budgets. */
export function costRows(s: CostStatus): CostRow[] {
  const rows: CostRow[] = [];
  if (s.machineMicros !== undefined) rows.push({ label: t('This machine'), value: formatUsd(s.machineMicros) });
  rows.push(
    { label: t('Today'), value: formatUsd(s.todayMicros) },
    { label: t('This month'), value: formatUsd(s.monthMicros) },
    { label: t('Projected month'), value: formatUsd(s.projectedMonthMicros) },
    { label: t('Burn rate'), value: formatPerHour(s.burnMicrosPerHour) },
  );
  for (const b of s.budgets ?? []) rows.push(budgetRow(b));
  return rows;
}

/**
 * "Daily budget (RunPod)": "$12.40 of $50.00 (25 %)", with words (not only a colour) when an alert threshold or the
 * limit is reached. Whole phrases per case, so a translation never gets a period or a scope spliced in.
 */
export function budgetRow(b: BudgetRow): CostRow {
  const label =
    b.period === 'daily' ? (b.scope ? t('Daily budget ({0})', b.scope) : t('Daily budget')) : b.scope ? t('Monthly budget ({0})', b.scope) : t('Monthly budget');
  const over = b.spentMicros >= b.limitMicros;
  // Rounded, but never "100 %" while under the limit nor under 100 % once over it.
  const ratio = Math.round((b.spentMicros * 100) / b.limitMicros);
  const percent = over ? Math.max(100, ratio) : Math.min(99, ratio);
  const spent = formatUsd(b.spentMicros);
  const limit = formatUsd(b.limitMicros);
  if (over) return { label, value: t('{0} of {1} ({2} %), over the limit', spent, limit, percent), mark: 'over' };
  if (b.reachedPercent !== undefined) return { label, value: t('{0} of {1} ({2} %), past the {3} % alert', spent, limit, percent, b.reachedPercent), mark: 'near' };
  return { label, value: t('{0} of {1} ({2} %)', spent, limit, percent) };
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
    this.counters.replaceChildren(
      ...costRows(status).flatMap((r) => {
        const className = r.mark ? `num budget-${r.mark}` : 'num';
        return [el(this.doc, 'dt', { text: r.label, ...(r.mark ? { className: `budget-${r.mark}` } : {}) }), el(this.doc, 'dd', { text: r.value, className })];
      }),
    );
    setText(this.verdict, status.autoStop ? t('Auto-stop: {0}', status.autoStop.explanation) : t('Auto-stop is off for this machine.'));
    this.audit.replaceChildren(...status.audit.map((l) => el(this.doc, 'li', { text: l })));
    setHidden(this.audit, status.audit.length === 0);
  }
}
