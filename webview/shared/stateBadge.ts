import type { ConnectionText } from './connectionText';
import { el, setAttr, setText } from './dom';
import { t } from '../../src/shared/l10n';

/**
 * The connection badge: a coloured dot (decoration, hidden from screen readers) and the state in words, so the
 * state never depends on colour alone (high-contrast themes, colour blindness).
 */
export class StateBadge {
  readonly element: HTMLElement;
  private readonly text: HTMLElement;

  constructor(doc: Document) {
    this.element = el(doc, 'span', { className: 'state-badge', attrs: { 'data-state': 'connecting' } });
    this.text = el(doc, 'span', { className: 'state-text', text: t('Connecting…') });
    this.element.append(el(doc, 'span', { className: 'state-dot', attrs: { 'aria-hidden': 'true' } }), this.text);
  }

  update(connection: ConnectionText): void {
    setAttr(this.element, 'data-state', connection.state);
    setText(this.text, connection.label);
  }
}
