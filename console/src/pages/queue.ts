import { api, ok } from '../api';
import { field, formatDate, h, select, showPage } from '../dom';
import type { paths } from '../generated/openapi';
import { navigate } from '../router';
import { act } from '../status';

type QueueQuery = NonNullable<paths['/api/v1/review-queue']['get']['parameters']['query']>;
type QueueItem = Awaited<ReturnType<typeof loadPage>>['items'][number];

function loadPage(query: QueueQuery) {
  return ok(api.GET('/api/v1/review-queue', { params: { query } }));
}

const STATES: Array<[string, string]> = [['', 'Any open state'], ['pending', 'Pending'], ['in_review', 'In review'], ['action_required', 'Action required']];
const SANCTIONS: Array<[string, string]> = [['', 'Any'], ['potential_match', 'Potential match'], ['match', 'Match'], ['clear', 'Clear'], ['not_run', 'Not run']];
const RISK: Array<[string, string]> = [['', 'Any'], ['block', 'Block'], ['manual_review', 'Manual review'], ['monitor', 'Monitor'], ['approve', 'Approve'], ['not_run', 'Not run']];

/**
 * Verifications waiting for a decision, oldest first, with filters and the overdue count.
 * Keyboard: j / k move, Enter opens. "Load more" follows the API's cursor.
 */
export async function queuePage(): Promise<void> {
  const state = select('state', STATES);
  const sanctions = select('sanctionsStatus', SANCTIONS);
  const risk = select('riskStatus', RISK);
  const minAge = h('input', { type: 'number', min: 0, name: 'minAgeDays', inputmode: 'numeric' });
  const overdue = h('p', { class: 'overdue', 'data-testid': 'overdue-count' });
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const rows: HTMLTableRowElement[] = [];
  let selected = -1;
  let cursor: string | null = null;

  const query = (): QueueQuery => ({
    ...(state.value === '' ? {} : { state: state.value as QueueQuery['state'] }),
    ...(sanctions.value === '' ? {} : { sanctionsStatus: sanctions.value as QueueQuery['sanctionsStatus'] }),
    ...(risk.value === '' ? {} : { riskStatus: risk.value as QueueQuery['riskStatus'] }),
    ...(minAge.value === '' ? {} : { minAgeDays: Number(minAge.value) }),
    limit: 50,
    ...(cursor === null ? {} : { cursor }),
  });
  const select_ = (index: number): void => {
    if (rows.length === 0) return;
    selected = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, at) => row.setAttribute('aria-selected', String(at === selected)));
    (rows[selected] as HTMLTableRowElement).focus();
  };
  const addRows = (items: QueueItem[]): void => {
    for (const item of items) {
      const row = h(
        'tr',
        { tabindex: -1, 'data-id': item.id, 'aria-selected': 'false', class: item.overdue ? 'is-overdue' : undefined },
        h('td', {}, h('a', { href: `#/verifications/${item.id}` }, item.legalName)),
        h('td', {}, item.venueId),
        h('td', {}, item.state.replace('_', ' ')),
        h('td', {}, `${item.waitingDays} d${item.overdue ? ' (overdue)' : ''}`),
        h('td', {}, item.sanctionsStatus.replace('_', ' ')),
        h('td', {}, item.riskStatus.replace('_', ' ')),
        h('td', {}, item.fourEyesRequired ? `${item.approvals}/2 approvals` : `${item.approvals}/1 approval`),
        h('td', {}, formatDate(item.submittedAt)),
      );
      rows.push(row);
      body.appendChild(row);
    }
  };
  const load = async (reset: boolean): Promise<void> => {
    if (reset) {
      cursor = null;
      rows.length = 0;
      body.replaceChildren();
      selected = -1;
    }
    const page = await act(null, 'Loading the queue…', () => loadPage(query()));
    if (page === undefined) return;
    overdue.textContent = `${page.overdueCount} overdue`;
    addRows(page.items);
    cursor = page.nextCursor;
    more.hidden = cursor === null;
  };
  more.addEventListener('click', () => void load(false));
  // After filtering, the first row is selected (and focused) as on arrival, so j / k work at once.
  const filters = h('form', { class: 'filters', onsubmit: (event) => { event.preventDefault(); void load(true).then(() => select_(0)); } },
    field('State', state), field('Sanctions', sanctions), field('Risk level', risk), field('Waiting at least (days)', minAge),
    h('button', { type: 'submit' }, 'Filter'),
  );
  const tableElement = h('table', { class: 'queue', 'aria-describedby': 'queue-help' },
    h('caption', {}, 'Verifications waiting for a decision, oldest first'),
    h('thead', {}, h('tr', {}, ...['Venue', 'Venue id', 'State', 'Waiting', 'Sanctions', 'Risk', 'Four-eyes', 'Submitted'].map((title) => h('th', { scope: 'col' }, title)))),
    body,
  );
  tableElement.addEventListener('keydown', (event) => {
    // A focused link opens what it says; the shortcuts act on the selected row.
    if (event.target instanceof HTMLAnchorElement) return;
    if (event.key === 'j') select_(selected + 1);
    else if (event.key === 'k') select_(selected - 1);
    else if (event.key === 'Enter' && selected >= 0) navigate(`/verifications/${(rows[selected] as HTMLTableRowElement).dataset.id}`);
    else return;
    event.preventDefault();
  });
  showPage('Review queue', filters, overdue, h('p', { id: 'queue-help', class: 'help' }, 'Keys: j / k move through the list, Enter opens the selected verification.'), tableElement, more);
  await load(true);
  select_(0);
}
