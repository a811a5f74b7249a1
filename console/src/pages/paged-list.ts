import { type Child, h } from '../dom';
import { act } from '../status';

/** One page of a list as the API answers it: `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedTableOptions<T> {
  caption: string;
  headers: readonly string[];
  /** Shown (in the live region) while a page loads. */
  progress: string;
  /** Shown under the table when the first page is empty. */
  empty: string;
  load: (cursor: string | undefined) => Promise<Page<T>>;
  row: (item: T) => HTMLTableRowElement;
}

/**
 * A table that follows the API's cursors: the first page on `reload()`, the next on "Load more".
 * A failed page shows the API's problem and keeps the rows already shown.
 */
export function pagedTable<T>(options: PagedTableOptions<T>): { element: HTMLElement; reload: () => Promise<void> } {
  const body = h('tbody');
  const empty = h('p', { class: 'help', hidden: true }, options.empty);
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  let cursor: string | undefined;

  const load = async (reset: boolean): Promise<void> => {
    const page = await act(reset ? null : more, options.progress, () => options.load(reset ? undefined : cursor));
    if (page === undefined) return;
    if (reset) body.replaceChildren();
    body.append(...page.items.map(options.row));
    cursor = page.nextCursor ?? undefined;
    more.hidden = page.nextCursor === null;
    empty.hidden = body.childElementCount > 0;
  };
  more.addEventListener('click', () => void load(false));
  const element = h('div', { class: 'paged' },
    h('table', {},
      h('caption', {}, options.caption),
      h('thead', {}, h('tr', {}, ...options.headers.map((header) => h('th', { scope: 'col' }, header)))),
      body,
    ),
    empty,
    more,
  );
  return { element, reload: () => load(true) };
}

/** A table row of plain cells. */
export function row(cells: readonly Child[], attributes: Record<string, string | undefined> = {}): HTMLTableRowElement {
  return h('tr', attributes, ...cells.map((cell) => h('td', {}, cell)));
}

/** The filters above a list: submitting applies them (the page stays, no navigation). */
export function filterForm(apply: () => void, ...fields: HTMLElement[]): HTMLFormElement {
  return h('form', { class: 'filters', onsubmit: (event) => { event.preventDefault(); apply(); } }, ...fields, h('button', { type: 'submit' }, 'Filter'));
}

/** A control's value, or undefined when left empty (openapi-fetch leaves undefined out of the query). */
export function chosen(control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): string | undefined {
  const value = control.value.trim();
  return value === '' ? undefined : value;
}

/** An enum's values as select options, "Any" first (`in_progress` reads "in progress"). */
export function anyOf(values: readonly string[]): Array<[string, string]> {
  return [['', 'Any'], ...values.map((value): [string, string] => [value, value.replaceAll('_', ' ')])];
}
