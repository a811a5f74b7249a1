/** Children are text (never parsed as HTML) or nodes: what the API says can never become markup. */
export type Child = Node | string | number | null | undefined | false;

type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/** `h('button', { onclick: save, disabled: busy }, 'Save')`: an element with attributes, handlers and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces the main region's content and moves focus there, so screen readers follow navigation. */
export function showPage(title: string, ...children: Child[]): HTMLElement {
  const main = document.getElementById('main') as HTMLElement;
  main.replaceChildren();
  append(main, [h('h1', {}, title), ...children]);
  document.title = `${title} · Compliance console`;
  main.focus();
  return main;
}

export function table(headers: readonly string[], rows: readonly Child[][], caption: string): HTMLTableElement {
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...headers.map((header) => h('th', { scope: 'col' }, header)))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((cell) => h('td', {}, cell))))),
  );
}

export function definitionList(entries: ReadonlyArray<[string, Child]>): HTMLDListElement {
  return h('dl', {}, ...entries.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

/** A labelled form control: the label names the field for assistive technology. */
export function field(label: string, control: HTMLElement): HTMLElement {
  const id = control.id || `field-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

export function select(name: string, options: ReadonlyArray<[string, string]>, value = ''): HTMLSelectElement {
  return h('select', { name }, ...options.map(([optionValue, text]) => h('option', { value: optionValue, selected: optionValue === value }, text)));
}

export function formatDate(iso: string | null | undefined): string {
  return iso === null || iso === undefined ? '—' : new Date(iso).toISOString().slice(0, 16).replace('T', ' ');
}

export function money(minor: number): string {
  return `$${(minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
