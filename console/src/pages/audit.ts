import { api, ok } from '../api';
import { field, formatDate, h, showPage } from '../dom';
import type { paths } from '../generated/openapi';
import { act } from '../status';
import { can } from '../who';
import { chosen, filterForm, pagedTable, row } from './paged-list';

type AuditQuery = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>;
type Entry = Awaited<ReturnType<typeof loadEntries>>['items'][number];

function loadEntries(query: AuditQuery) {
  return ok(api.GET('/api/v1/audit', { params: { query } }));
}

/** A datetime-local value (the officer's local time) as the ISO 8601 instant the API takes. */
function instant(control: HTMLInputElement): string | undefined {
  const value = chosen(control);
  return value === undefined ? undefined : new Date(value).toISOString();
}

function change(entry: Entry): HTMLElement | string {
  if (entry.before === null && entry.after === null) return '—';
  return h('details', {}, h('summary', {}, 'Before / after'), h('pre', {}, JSON.stringify({ before: entry.before, after: entry.after }, null, 2)));
}

function entryRow(entry: Entry): HTMLTableRowElement {
  return row([
    formatDate(entry.occurredAt),
    `${entry.actor} (${entry.actorRoles.join(', ')})`,
    entry.action,
    entry.resourceType,
    entry.resourceId ?? '—',
    entry.seq ?? '—',
    change(entry),
  ], { 'data-id': entry.id });
}

/** Managers and admins may verify this tenant's hash chain (GET /api/v1/audit/verify). */
function chainCheck(): HTMLElement | null {
  if (!can('compliance_manager', 'admin')) return null;
  const result = h('p', { 'data-testid': 'chain-result' });
  const verify = h('button', { type: 'button' }, 'Verify the chain');
  verify.addEventListener('click', () => void act(verify, 'Verifying the audit chain…', () => ok(api.GET('/api/v1/audit/verify'))).then((answer) => {
    if (answer === undefined) return;
    const broken = answer.firstBroken;
    result.className = broken === null ? '' : 'problem';
    result.textContent = broken === null
      ? `Chain intact: ${answer.checked} entries checked.`
      : `Chain broken at entry ${broken.seq} (${broken.id}): ${broken.reason}. ${answer.checked} entries checked.`;
  }));
  return h('div', { class: 'card' }, verify, result);
}

/** The tenant's audit log, newest first, with the API's filters. */
export async function auditPage(): Promise<void> {
  const resourceType = h('input', { type: 'text', name: 'resourceType', autocomplete: 'off' });
  const resourceId = h('input', { type: 'text', name: 'resourceId', autocomplete: 'off' });
  const actor = h('input', { type: 'text', name: 'actor', autocomplete: 'off' });
  const action = h('input', { type: 'text', name: 'action', autocomplete: 'off' });
  const from = h('input', { type: 'datetime-local', name: 'from' });
  const to = h('input', { type: 'datetime-local', name: 'to' });
  const list = pagedTable({
    caption: 'Audit entries, newest first',
    headers: ['When', 'Who', 'Action', 'Resource type', 'Resource id', 'Seq', 'Change'],
    progress: 'Loading the audit log…',
    empty: 'No audit entries match these filters.',
    load: (cursor) => loadEntries({
      resourceType: chosen(resourceType),
      resourceId: chosen(resourceId),
      actor: chosen(actor),
      action: chosen(action),
      from: instant(from),
      to: instant(to),
      limit: 50,
      cursor,
    }),
    row: entryRow,
  });
  showPage('Audit',
    chainCheck(),
    filterForm(() => void list.reload(),
      field('Resource type', resourceType), field('Resource id', resourceId), field('Actor', actor), field('Action', action),
      field('From (inclusive, local time)', from), field('To (exclusive, local time)', to)),
    list.element,
  );
  await list.reload();
}
