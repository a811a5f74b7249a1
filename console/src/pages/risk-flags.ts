import { api, idempotencyKey, ok } from '../api';
import { field, formatDate, h, select, showPage } from '../dom';
import type { paths } from '../generated/openapi';
import { act } from '../status';
import { can, OFFICERS } from '../who';
import { anyOf, chosen, filterForm, pagedTable, row } from './paged-list';

type FlagQuery = NonNullable<paths['/api/v1/risk/flags']['get']['parameters']['query']>;
type Flag = Awaited<ReturnType<typeof loadFlags>>['items'][number];

function loadFlags(query: FlagQuery) {
  return ok(api.GET('/api/v1/risk/flags', { params: { query } }));
}

/** An open flag's resolve control (a note is required); on success the row shows the resolved flag. */
function resolveForm(flag: Flag, replace: (resolved: Flag) => void): HTMLElement {
  const note = h('input', { type: 'text', name: 'note', 'aria-label': `Resolution note for ${flag.category} on ${flag.venueId}` });
  const resolve = h('button', { type: 'submit' }, 'Resolve');
  return h('form', {
    onsubmit: (event) => {
      event.preventDefault();
      void act(resolve, 'Resolving the flag…', () => ok(api.POST('/api/v1/risk/flags/{id}/resolve', {
        params: { path: { id: flag.id } },
        headers: { 'idempotency-key': idempotencyKey() },
        body: { note: note.value.trim() },
      }))).then((resolved) => {
        if (resolved !== undefined) replace(resolved);
      });
    },
  }, note, resolve);
}

function flagRow(flag: Flag): HTMLTableRowElement {
  const resolution = flag.status === 'resolved'
    ? `${flag.resolutionNote ?? '—'} (${flag.resolvedBy ?? '—'}, ${formatDate(flag.resolvedAt)})`
    : can(...OFFICERS) ? resolveForm(flag, (resolved) => element.replaceWith(flagRow(resolved))) : '—';
  const element = row([
    flag.venueId,
    flag.severity,
    flag.category,
    flag.description,
    h('span', { 'data-testid': `flag-status-${flag.id}` }, flag.status),
    `${flag.raisedBy}, ${formatDate(flag.raisedAt)}`,
    resolution,
  ], { 'data-id': flag.id });
  return element;
}

/** Risk flags raised by officers and rules, newest first; an open flag is resolved with a note. */
export async function riskFlagsPage(): Promise<void> {
  const status = select('status', anyOf(['open', 'resolved']), 'open');
  const severity = select('severity', anyOf(['critical', 'high', 'medium', 'low']));
  const category = h('input', { type: 'text', name: 'category', autocomplete: 'off' });
  const venueId = h('input', { type: 'text', name: 'venueId', autocomplete: 'off' });
  const list = pagedTable({
    caption: 'Risk flags, newest first',
    headers: ['Venue', 'Severity', 'Category', 'Description', 'Status', 'Raised', 'Resolution'],
    progress: 'Loading risk flags…',
    empty: 'No risk flags match these filters.',
    load: (cursor) => loadFlags({
      status: chosen(status) as FlagQuery['status'],
      severity: chosen(severity) as FlagQuery['severity'],
      category: chosen(category),
      venueId: chosen(venueId),
      limit: 50,
      cursor,
    }),
    row: flagRow,
  });
  showPage('Risk flags',
    filterForm(() => void list.reload(), field('Status', status), field('Severity', severity), field('Category', category), field('Venue id', venueId)),
    list.element,
  );
  await list.reload();
}
