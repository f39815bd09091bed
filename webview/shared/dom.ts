/**
 * The only way the webviews put text on the page: textContent, never innerHTML. Host, GPU and process names come
 * from a remote machine (a process may call itself `<img src=x onerror=...>`), so nothing here parses markup.
 */
export interface ElementInit {
  readonly className?: string;
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, init?: ElementInit): HTMLElementTagNameMap[K];
export function el(doc: Document, tag: string, init?: ElementInit): HTMLElement;
export function el(doc: Document, tag: string, init: ElementInit = {}): HTMLElement {
  const node = doc.createElement(tag);
  if (init.className !== undefined) node.className = init.className;
  if (init.text !== undefined) node.textContent = init.text;
  for (const [name, value] of Object.entries(init.attrs ?? {})) node.setAttribute(name, value);
  return node;
}

/** Sets text only when it changed: most fields are the same from one snapshot to the next, and writes cost layout. */
export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export function setAttr(node: Element, name: string, value: string): void {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

export function setHidden(node: HTMLElement, hidden: boolean): void {
  if (node.hidden !== hidden) node.hidden = hidden;
}
