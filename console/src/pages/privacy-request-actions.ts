import { api, idempotencyKey, ok } from '../api';
import { type Child, field, formatDate, h, select } from '../dom';
import { act } from '../status';
import { can } from '../who';
import type { PrivacyRequest } from './privacy-requests';

type Updated = (request: PrivacyRequest) => void;

/** Runs one move; the row shows the request as the API answered it, or stays as typed on a refusal. */
function move(button: HTMLButtonElement, progress: string, call: () => Promise<PrivacyRequest>, updated: Updated): void {
  void act(button, progress, call).then((request) => {
    if (request !== undefined) updated(request);
  });
}

function startButton(request: PrivacyRequest, updated: Updated): HTMLButtonElement {
  const start = h('button', { type: 'button' }, 'Start');
  start.addEventListener('click', () => move(start, 'Starting the request…', () => ok(api.POST('/api/v1/privacy/requests/{id}/start', {
    params: { path: { id: request.id } },
    headers: { 'idempotency-key': idempotencyKey() },
  })), updated));
  return start;
}

/** Art. 12(3): once, by up to two further months, decided within the first month. */
function extendForm(request: PrivacyRequest, updated: Updated): HTMLFormElement {
  const months = select('months', [['1', '1'], ['2', '2']], '2');
  const reason = h('input', { type: 'text', name: 'reason' });
  const extend = h('button', { type: 'submit' }, 'Extend');
  return h('form', {
    'aria-label': 'Extend the deadline',
    onsubmit: (event) => {
      event.preventDefault();
      move(extend, 'Extending the deadline…', () => ok(api.POST('/api/v1/privacy/requests/{id}/extend', {
        params: { path: { id: request.id } },
        headers: { 'idempotency-key': idempotencyKey() },
        body: { months: Number(months.value), reason: reason.value.trim() },
      })), updated);
    },
  }, field('Extend by (months)', months), field('Reason to extend', reason), extend);
}

/** Art. 12(4): the reasons for not acting, told to the subject. */
function refuseForm(request: PrivacyRequest, updated: Updated): HTMLFormElement {
  const reason = h('input', { type: 'text', name: 'reason' });
  const refuse = h('button', { type: 'submit' }, 'Refuse');
  return h('form', {
    'aria-label': 'Refuse the request',
    onsubmit: (event) => {
      event.preventDefault();
      move(refuse, 'Refusing the request…', () => ok(api.POST('/api/v1/privacy/requests/{id}/refuse', {
        params: { path: { id: request.id } },
        headers: { 'idempotency-key': idempotencyKey() },
        body: { reason: reason.value.trim() },
      })), updated);
    },
  }, field('Reason to refuse', reason), refuse);
}

/** Completing an erasure destroys the subject's personal data, so it asks once more. */
function completeButton(request: PrivacyRequest, updated: Updated): HTMLButtonElement {
  const complete = h('button', { type: 'button' }, request.type === 'erasure' ? 'Complete (erase)' : 'Complete (export)');
  complete.addEventListener('click', () => {
    if (request.type === 'erasure' && !window.confirm(`Erase the personal data of ${request.subjectId}? This cannot be undone.`)) return;
    move(complete, 'Completing the request…', () => ok(api.POST('/api/v1/privacy/requests/{id}/complete', {
      params: { path: { id: request.id } },
      headers: { 'idempotency-key': idempotencyKey() },
    })), updated);
  });
  return complete;
}

/** A short-lived signed link that needs no token: shown as a link for the officer to pass on or open. */
function exportLinkButton(request: PrivacyRequest): HTMLElement {
  const slot = h('span', { class: 'export-link' });
  const issue = h('button', { type: 'button' }, 'Export link');
  issue.addEventListener('click', () => void act(issue, 'Issuing the export link…', () => ok(api.POST('/api/v1/privacy/requests/{id}/export-link', {
    params: { path: { id: request.id } },
    headers: { 'idempotency-key': idempotencyKey() },
  }))).then((link) => {
    if (link === undefined) return;
    const url = new URL(link.url, location.origin).href;
    slot.replaceChildren(h('a', { href: url, 'data-testid': `export-link-${request.id}` }, url), ` (valid until ${formatDate(link.expiresAt)})`);
  }));
  return h('span', {}, issue, slot);
}

/** The moves this request allows now and the caller's roles may make (completing is for managers and admins). */
export function requestActions(request: PrivacyRequest, updated: Updated): Child[] {
  if (request.state === 'completed') return request.type === 'access' ? [exportLinkButton(request)] : [];
  if (request.state === 'refused') return [];
  return [
    request.state === 'received' && startButton(request, updated),
    // Past the first month an extension can no longer be decided (Art. 12(3)); the API refuses it too.
    request.extension === null && !request.overdue && extendForm(request, updated),
    refuseForm(request, updated),
    can('compliance_manager', 'admin') && completeButton(request, updated),
  ];
}
