import { el, setHidden, setText } from '../shared/dom';
import type { ProcessesDisplay, ProcessRowText } from '../shared/processesText';
import { t } from '../../src/shared/l10n';

/** Header text, and whether the column holds numbers (right-aligned, header included). */
const COLUMNS = [
  ['PID', true],
  [t('Name'), false],
  [t('GPU memory'), true],
  ['GPU', false],
] as const;

/** The processes table, or the sentence that replaces it. Rows are rebuilt only when their text changed. */
export class ProcessesSection {
  readonly element: HTMLElement;
  private readonly text: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly body: HTMLTableSectionElement;
  private shown: readonly ProcessRowText[] = [];

  constructor(private readonly doc: Document) {
    this.element = el(doc, 'section', { className: 'processes', attrs: { 'aria-labelledby': 'processes-title' } });
    this.text = el(doc, 'p', { className: 'processes-text' });
    this.table = el(doc, 'table', { className: 'processes-table' });
    const head = el(doc, 'thead');
    const headRow = el(doc, 'tr');
    for (const [c, num] of COLUMNS) headRow.append(el(doc, 'th', { text: c, className: num ? 'num' : '', attrs: { scope: 'col' } }));
    head.append(headRow);
    this.body = el(doc, 'tbody');
    this.table.append(head, this.body);
    this.table.hidden = true;
    this.element.append(el(doc, 'h2', { text: t('Processes'), attrs: { id: 'processes-title' } }), this.text, this.table);
  }

  update(display: ProcessesDisplay): void {
    setHidden(this.table, display.kind !== 'table');
    setHidden(this.text, display.kind !== 'text');
    if (display.kind === 'text') {
      setText(this.text, display.text);
      return;
    }
    if (sameRows(this.shown, display.rows)) return;
    this.shown = display.rows;
    this.body.replaceChildren(...display.rows.map((r) => this.row(r)));
  }

  private row(r: ProcessRowText): HTMLTableRowElement {
    const tr = el(this.doc, 'tr');
    // textContent only: a process may name itself anything, markup included.
    tr.append(el(this.doc, 'td', { text: r.pid, className: 'num' }), el(this.doc, 'td', { text: r.name }), el(this.doc, 'td', { text: r.memory, className: 'num' }), el(this.doc, 'td', { text: r.gpu }));
    return tr;
  }
}

function sameRows(a: readonly ProcessRowText[], b: readonly ProcessRowText[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (!x || !y || x.pid !== y.pid || x.name !== y.name || x.memory !== y.memory || x.gpu !== y.gpu) return false;
  }
  return true;
}
