import type { CheckpointStatus } from '../../src/shared/checkpointStatus';
import type { WebviewToHostMessage } from '../../src/shared/dashboardMessages';
import { t } from '../../src/shared/l10n';
import { button } from '../shared/button';
import { el, setHidden, setText } from '../shared/dom';
import { checkpointSectionText } from './checkpointText';
import type { CheckpointRowText } from './checkpointText';

/**
 * The dashboard's checkpoint section (issue 6): the newest checkpoint, the overdue warning, what is being written,
 * the recent list, and Download Latest. Every name is put on the page as text; rows are rebuilt only on change.
 */
export class CheckpointSection {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly overdue: HTMLElement;
  private readonly newest: HTMLElement;
  private readonly writing: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly body: HTMLTableSectionElement;
  private readonly download: HTMLElement;
  private shownNewest = '';
  private shownRows = '';

  constructor(
    private readonly doc: Document,
    post: (m: WebviewToHostMessage) => void,
  ) {
    this.element = el(doc, 'section', { className: 'checkpoints', attrs: { 'aria-labelledby': 'checkpoints-title' } });
    const head = el(doc, 'div', { className: 'section-head' });
    this.download = button(doc, t('Download Latest'), 'cloud-download', true);
    this.download.classList.add('ckpt-download');
    this.download.addEventListener('click', () => {
      if (!this.download.hasAttribute('disabled')) post({ type: 'downloadLatestCheckpoint' });
    });
    head.append(el(doc, 'h2', { text: t('Checkpoints'), attrs: { id: 'checkpoints-title' } }), this.download);
    this.status = el(doc, 'p', { className: 'ckpt-status' });
    // role=status: a screen reader hears "overdue" when it appears, without taking focus.
    this.overdue = el(doc, 'p', { className: 'ckpt-overdue', attrs: { role: 'status' } });
    this.newest = el(doc, 'dl', { className: 'ckpt-newest' });
    this.writing = el(doc, 'p', { className: 'ckpt-writing' });
    this.table = el(doc, 'table', { className: 'ckpt-recent' });
    const thead = el(doc, 'thead');
    const headRow = el(doc, 'tr');
    for (const [c, num] of [[t('Recent'), false], [t('Step'), true], [t('Size'), true], [t('Age'), true]] as const) {
      headRow.append(el(doc, 'th', { text: c, className: num ? 'num' : '', attrs: { scope: 'col' } }));
    }
    thead.append(headRow);
    this.body = el(doc, 'tbody');
    this.table.append(thead, this.body);
    this.element.append(head, this.status, this.overdue, this.newest, this.writing, this.table);
    this.element.hidden = true;
  }

  update(status: CheckpointStatus | undefined): void {
    setHidden(this.element, status === undefined);
    if (!status) return;
    const text = checkpointSectionText(status);
    setText(this.status, text.status ?? '');
    setHidden(this.status, text.status === null);
    setText(this.overdue, text.overdue ?? '');
    setHidden(this.overdue, text.overdue === null);
    setText(this.writing, text.writing ?? '');
    setHidden(this.writing, text.writing === null);
    if (text.canDownload) this.download.removeAttribute('disabled');
    else this.download.setAttribute('disabled', '');
    const newestKey = JSON.stringify(text.newest);
    if (newestKey !== this.shownNewest) {
      this.shownNewest = newestKey;
      this.newest.replaceChildren(...(text.newest ?? []).flatMap((f) => [el(this.doc, 'dt', { text: f.label }), el(this.doc, 'dd', { text: f.value })]));
    }
    setHidden(this.newest, text.newest === null);
    const rowsKey = JSON.stringify(text.recent);
    if (rowsKey !== this.shownRows) {
      this.shownRows = rowsKey;
      this.body.replaceChildren(...text.recent.map((r) => this.row(r)));
    }
    setHidden(this.table, text.recent.length === 0);
  }

  private row(r: CheckpointRowText): HTMLTableRowElement {
    const tr = el(this.doc, 'tr');
    tr.append(el(this.doc, 'td', { text: r.path, className: 'path' }), el(this.doc, 'td', { text: r.step, className: 'num' }), el(this.doc, 'td', { text: r.size, className: 'num' }), el(this.doc, 'td', { text: r.age, className: 'num' }));
    return tr;
  }
}
