import { api, idempotencyKey, ok } from '../api';
import { field, formatDate, h, select, showPage } from '../dom';
import type { paths } from '../generated/openapi';
import { act } from '../status';
import { anyOf, chosen, filterForm, pagedTable, row } from './paged-list';
import { requestActions } from './privacy-request-actions';

type RequestQuery = NonNullable<paths['/api/v1/privacy/requests']['get']['parameters']['query']>;
export type PrivacyRequest = Awaited<ReturnType<typeof loadRequests>>['items'][number];

function loadRequests(query: RequestQuery) {
  return ok(api.GET('/api/v1/privacy/requests', { params: { query } }));
}

function outcomeText(request: PrivacyRequest): string {
  if (request.state === 'refused') return `Refused: ${request.refusalReason ?? '—'}`;
  if (request.outcome === null) return '—';
  return Object.entries(request.outcome).map(([what, counts]) => `${what}: ${nonZero(counts)}`).join('; ');
}

/** `{ alerts: 1, documents: 0 }` reads "alerts 1": per-table counts, the tables with records only. */
function nonZero(counts: unknown): string {
  if (typeof counts !== 'object' || counts === null) return String(counts);
  const shown = Object.entries(counts).filter(([, count]) => count !== 0).map(([table, count]) => `${table} ${String(count)}`);
  return shown.length === 0 ? 'none' : shown.join(', ');
}

function requestRow(request: PrivacyRequest): HTMLTableRowElement {
  const element = row([
    request.subjectId,
    request.type,
    h('span', { 'data-testid': `privacy-state-${request.id}` }, request.state.replace('_', ' ')),
    `${formatDate(request.dueAt)}${request.overdue ? ' (overdue)' : ''}`,
    formatDate(request.receivedAt),
    request.extension === null ? '—' : `${formatDate(request.extension.extendedAt)}: ${request.extension.reason}`,
    request.reason,
    outcomeText(request),
    h('div', { class: 'row-actions' }, ...requestActions(request, (updated) => element.replaceWith(requestRow(updated)))),
  ], { class: request.overdue ? 'is-overdue' : undefined, 'data-id': request.id });
  return element;
}

/** Records a new data-subject request (received now, due in one month); the form is cleared only when it was recorded. */
function createForm(created: () => void): HTMLFormElement {
  const subjectId = h('input', { type: 'text', name: 'subjectId', autocomplete: 'off' });
  const type = select('type', [['access', 'Access (Art. 15)'], ['erasure', 'Erasure (Art. 17)']]);
  const reason = h('textarea', { name: 'reason', rows: 3, cols: 50 });
  const submit = h('button', { type: 'submit' }, 'Record request');
  const form = h('form', {
    class: 'card',
    'aria-label': 'New request',
    onsubmit: (event) => {
      event.preventDefault();
      void act(submit, 'Recording the request…', () => ok(api.POST('/api/v1/privacy/requests', {
        headers: { 'idempotency-key': idempotencyKey() },
        body: { subjectId: subjectId.value.trim(), type: type.value as 'access' | 'erasure', reason: reason.value.trim() },
      }))).then((request) => {
        if (request === undefined) return;
        form.reset();
        created();
      });
    },
  }, h('h2', {}, 'New request'), field('Subject (venue id)', subjectId), field('Type', type), field('What the subject asks, and how it reached us', reason), submit);
  return form;
}

/** Data-subject requests, soonest due first (so overdue ones lead), with their GDPR Art. 12 moves. */
export async function privacyRequestsPage(): Promise<void> {
  const overdueOnly = h('input', { type: 'checkbox', name: 'overdue' });
  const state = select('state', anyOf(['received', 'in_progress', 'completed', 'refused']));
  const type = select('type', anyOf(['access', 'erasure']));
  const list = pagedTable({
    caption: 'Privacy requests, soonest due first',
    headers: ['Subject', 'Type', 'State', 'Due', 'Received', 'Extension', 'Request', 'Outcome', 'Actions'],
    progress: 'Loading privacy requests…',
    empty: 'No privacy requests match these filters.',
    load: (cursor) => loadRequests({
      overdue: overdueOnly.checked ? 'true' : undefined,
      state: chosen(state) as RequestQuery['state'],
      type: chosen(type) as RequestQuery['type'],
      limit: 50,
      cursor,
    }),
    row: requestRow,
  });
  showPage('Privacy requests',
    filterForm(() => void list.reload(), field('Overdue only', overdueOnly), field('State', state), field('Type', type)),
    list.element,
    createForm(() => void list.reload()),
  );
  await list.reload();
}
