/**
 * Building the page with DOM APIs only. Every piece of text, whatever its
 * origin (table names, filters, SQL), goes in through `textContent`, so a
 * name like `<img src=x onerror=…>` shows as those characters and never
 * becomes markup. There is no innerHTML in the webviews.
 */

export interface ElementOptions {
  readonly class?: string;
  readonly text?: string;
  readonly title?: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options?: ElementOptions, children?: readonly Child[]): HTMLElementTagNameMap[K];
export function el(tag: string, options?: ElementOptions, children?: readonly Child[]): HTMLElement;
export function el(tag: string, options: ElementOptions = {}, children: readonly Child[] = []): HTMLElement {
  const node = document.createElement(tag);
  if (options.class) node.className = options.class;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.title !== undefined) node.title = options.title;
  for (const [k, v] of Object.entries(options.attrs ?? {})) node.setAttribute(k, v);
  append(node, children);
  return node;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** A codicon, hidden from screen readers (the text next to it says what it means). */
export function icon(name: string, extraClass = ''): HTMLElement {
  return el('span', { class: `codicon codicon-${name}${extraClass ? ` ${extraClass}` : ''}`, attrs: { 'aria-hidden': 'true' } });
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** Applies CSS text as constructed stylesheets: no inline <style>, so the CSP needs no exception. */
export function adoptStyles(...texts: readonly string[]): void {
  document.adoptedStyleSheets = texts.map((t) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(t);
    return sheet;
  });
}
