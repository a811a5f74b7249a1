import { api, idempotencyKey, ok } from '../api';
import { type Child, definitionList, field, formatDate, h, select, showPage, table } from '../dom';
import { act, announce } from '../status';
import { caller } from '../who';
import { dueText, subjectOf } from './alerts';
import { matchExplanation } from './match-explanation';

type Alert = Awaited<ReturnType<typeof loadAlert>>;
type Hit = NonNullable<Alert['hit']>;

function loadAlert(id: string) {
  return ok(api.GET('/api/v1/alerts/{id}', { params: { path: { id } } }));
}

function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { 'aria-label': title }, h('h2', {}, title), ...children);
}

function listEntry(alert: Alert): Child[] {
  const hit = alert.hit;
  if (hit === null) return [definitionList([['List', alert.list], ['Entry id', alert.sdnId], ['Matched name', alert.matchedName], ['Score', alert.score.toFixed(2)]])];
  return [definitionList([
    ['List', hit.list],
    ['Entry id', hit.sdnId],
    ['Primary name', hit.name],
    ['Matched name', `${hit.matchedName} (${hit.matchedNameKind.replace('_', ' ')})`],
    ['Type', hit.type],
    ['Programs', hit.programs.join(', ') || '—'],
    ['Score', `${hit.score.toFixed(2)} (${hit.outcome.replace('_', ' ')})`],
  ])];
}

function timeline(alert: Alert): HTMLElement {
  return table(['When', 'Who', 'What', 'Detail'], alert.timeline.map((event) => [
    formatDate(event.occurredAt),
    event.actor,
    event.kind.replace('_', ' '),
    event.text ?? (Object.keys(event.data).length === 0 ? '—' : JSON.stringify(event.data)),
  ]), 'Timeline, oldest first');
}

type AlertCall = () => Promise<Alert>;

/** The officer's moves on an alert; each answers the updated alert, which the page then shows. */
function actions(alert: Alert, run: (button: HTMLButtonElement, progress: string, call: AlertCall) => void): HTMLElement[] {
  const path = { id: alert.id };
  const forms: HTMLElement[] = [];
  if (alert.status !== 'closed') {
    const assignee = h('input', { type: 'text', name: 'assignee', autocomplete: 'off', value: alert.assignee ?? '' });
    const assign = h('button', { type: 'submit' }, 'Assign');
    const assignToMe = h('button', { type: 'button' }, 'Assign to me');
    const assignTo = (button: HTMLButtonElement, to: string): void =>
      run(button, 'Assigning the alert…', () => ok(api.POST('/api/v1/alerts/{id}/assign', { params: { path }, headers: { 'idempotency-key': idempotencyKey() }, body: { assignee: to } })));
    assignToMe.addEventListener('click', () => assignTo(assignToMe, caller()?.userId ?? ''));
    forms.push(h('form', { class: 'card', 'aria-label': 'Assign the alert', onsubmit: (event) => { event.preventDefault(); assignTo(assign, assignee.value.trim()); } },
      h('h2', {}, 'Assign'), field('Assign to (user id)', assignee), assign, assignToMe));
  }
  if (alert.status === 'open') {
    const investigate = h('button', { type: 'button' }, 'Start investigating');
    investigate.addEventListener('click', () =>
      run(investigate, 'Moving the alert to investigating…', () => ok(api.POST('/api/v1/alerts/{id}/investigate', { params: { path }, headers: { 'idempotency-key': idempotencyKey() } }))));
    forms.push(h('div', { class: 'card' }, investigate));
  }
  if (alert.status !== 'closed') {
    const outcome = select('outcome', [['false_positive', 'False positive'], ['confirmed_match', 'Confirmed match']]);
    const reason = h('textarea', { name: 'reason', rows: 3, cols: 50 });
    const reviewAfterDays = h('input', { type: 'number', name: 'reviewAfterDays', min: 1, max: 3650, inputmode: 'numeric' });
    const close = h('button', { type: 'submit' }, 'Close alert');
    forms.push(h('form', {
      class: 'card',
      'aria-label': 'Close the alert',
      onsubmit: (event) => {
        event.preventDefault();
        run(close, 'Closing the alert…', () => ok(api.POST('/api/v1/alerts/{id}/close', {
          params: { path },
          headers: { 'idempotency-key': idempotencyKey() },
          body: {
            outcome: outcome.value as 'false_positive' | 'confirmed_match',
            reason: reason.value.trim(),
            ...(reviewAfterDays.value === '' ? {} : { reviewAfterDays: Number(reviewAfterDays.value) }),
          },
        })));
      },
    }, h('h2', {}, 'Close'), field('Outcome', outcome), field('Reason', reason),
    field('Re-review after (days, false positives; default from the service)', reviewAfterDays), close));
  }
  const text = h('textarea', { name: 'text', rows: 3, cols: 50 });
  const comment = h('button', { type: 'submit' }, 'Add comment');
  forms.push(h('form', {
    class: 'card',
    'aria-label': 'Comment on the alert',
    onsubmit: (event) => {
      event.preventDefault();
      run(comment, 'Adding the comment…', () => ok(api.POST('/api/v1/alerts/{id}/comments', { params: { path }, headers: { 'idempotency-key': idempotencyKey() }, body: { text: text.value.trim() } })));
    },
  }, h('h2', {}, 'Comment'), field('Comment', text), comment));
  return forms;
}

function render(alert: Alert): void {
  const subject = subjectOf(alert.subjectKey);
  const run = (button: HTMLButtonElement, progress: string, call: AlertCall): void => {
    void act(button, progress, call).then((updated) => {
      if (updated !== undefined) render(updated);
    });
  };
  showPage(`Alert: ${alert.matchedName} (${alert.list} ${alert.sdnId})`,
    definitionList([
      ['Status', h('span', { 'data-testid': 'alert-status' }, alert.status)],
      ['Outcome', alert.outcome?.replace('_', ' ') ?? '—'],
      ['Severity', alert.severity],
      ['Assignee', h('span', { 'data-testid': 'alert-assignee' }, alert.assignee ?? 'Unassigned')],
      ['Due', dueText(alert.dueAt, alert.overdue)],
      ['Opened', formatDate(alert.openedAt)],
      ['Closed', formatDate(alert.closedAt)],
      ['Verification', h('a', { href: `#/verifications/${alert.verificationId}` }, `Venue ${alert.venueId}`)],
    ]),
    section('Query', definitionList([['Screened', subject.kind], ['Name', subject.name], ['Subject key', alert.subjectKey]])),
    section('List entry', ...listEntry(alert)),
    section('Explanation', ...(alert.hit === null ? [h('p', {}, 'The screening kept no explanation for this hit.')] : matchExplanation(alert.hit.explanation, alert.hit.score))),
    section('Timeline', timeline(alert)),
    ...actions(alert, run),
  );
}

/** One alert: who was screened, the list entry, the matcher's token-by-token reasoning, its timeline, and the officer's moves. */
export async function alertPage(params: Record<string, string>): Promise<void> {
  const alert = await act(null, 'Loading the alert…', () => loadAlert(params.id as string));
  if (alert === undefined) {
    showPage('Alert not found', h('p', {}, 'It does not exist, or not for you.'));
    return;
  }
  render(alert);
  announce('');
}
