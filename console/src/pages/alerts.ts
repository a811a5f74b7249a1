import { api, ok } from '../api';
import { field, formatDate, h, select, showPage } from '../dom';
import type { paths } from '../generated/openapi';
import { anyOf, chosen, filterForm, pagedTable, row } from './paged-list';

type AlertQuery = NonNullable<paths['/api/v1/alerts']['get']['parameters']['query']>;
type AlertItem = Awaited<ReturnType<typeof loadAlerts>>['items'][number];

function loadAlerts(query: AlertQuery) {
  return ok(api.GET('/api/v1/alerts', { params: { query } }));
}

/** Who was screened, from the screening's subject key: `venue:<id>:business|owner:<name>` or `adhoc:<name>`. */
export function subjectOf(subjectKey: string): { kind: string; name: string } {
  const parts = subjectKey.split(':');
  if (parts[0] === 'venue' && parts.length >= 4) return { kind: parts[2] === 'owner' ? 'Beneficial owner' : 'Business', name: parts.slice(3).join(':') };
  if (parts[0] === 'adhoc') return { kind: 'Ad hoc', name: parts.slice(1).join(':') };
  return { kind: 'Subject', name: subjectKey };
}

export function dueText(dueAt: string, overdue: boolean): string {
  return `${formatDate(dueAt)}${overdue ? ' (overdue)' : ''}`;
}

function alertRow(alert: AlertItem): HTMLTableRowElement {
  return row([
    h('a', { href: `#/alerts/${alert.id}` }, `${alert.matchedName} (${alert.list} ${alert.sdnId})`),
    subjectOf(alert.subjectKey).name,
    alert.severity,
    dueText(alert.dueAt, alert.overdue),
    alert.status,
    alert.outcome?.replace('_', ' ') ?? '—',
    alert.assignee ?? 'Unassigned',
    alert.score.toFixed(2),
    alert.venueId,
  ], { class: alert.overdue ? 'is-overdue' : undefined, 'data-id': alert.id });
}

/** Screening alerts, oldest due first, with the API's filters. */
export async function alertsPage(): Promise<void> {
  const status = select('status', anyOf(['open', 'investigating', 'closed']));
  const severity = select('severity', anyOf(['high', 'medium']));
  const overdue = select('overdue', [['', 'Any'], ['true', 'Overdue only'], ['false', 'Not overdue']]);
  const assignee = h('input', { type: 'text', name: 'assignee', autocomplete: 'off' });
  const list = pagedTable({
    caption: 'Screening alerts, oldest due first',
    headers: ['Alert', 'Subject', 'Severity', 'Due', 'Status', 'Outcome', 'Assignee', 'Score', 'Venue'],
    progress: 'Loading alerts…',
    empty: 'No alerts match these filters.',
    load: (cursor) => loadAlerts({
      status: chosen(status) as AlertQuery['status'],
      severity: chosen(severity) as AlertQuery['severity'],
      overdue: chosen(overdue) as AlertQuery['overdue'],
      assignee: chosen(assignee),
      limit: 50,
      cursor,
    }),
    row: alertRow,
  });
  showPage('Alerts',
    filterForm(() => void list.reload(), field('Status', status), field('Severity', severity), field('Overdue', overdue), field('Assignee (user id)', assignee)),
    list.element,
  );
  await list.reload();
}
