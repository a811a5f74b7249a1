import { api, idempotencyKey, ok } from '../api';
import { type Child, definitionList, field, formatDate, h, money, select, showPage, table } from '../dom';
import { act, announce } from '../status';
import { can, OFFICERS } from '../who';
import { matchExplanation } from './match-explanation';
import { documentsSection } from './venue-documents';

type Verification = Awaited<ReturnType<typeof loadVerification>>;

function loadVerification(id: string) {
  return ok(api.GET('/api/v1/verifications/{id}', { params: { path: { id } } }));
}

/** A section that loads on its own: one failing read shows its problem and leaves the rest. */
function section(title: string, load: () => Promise<Child[]>): HTMLElement {
  const body = h('div', { class: 'section-body' }, 'Loading…');
  void load().then(
    (children) => body.replaceChildren(...children.filter((child): child is Node | string => child !== null && child !== undefined && child !== false).map((child) => (typeof child === 'string' ? document.createTextNode(child) : child as Node))),
    (error: unknown) => body.replaceChildren(h('p', { class: 'problem' }, error instanceof Error ? error.message : String(error))),
  );
  return h('section', { 'aria-label': title }, h('h2', {}, title), body);
}

function list(items: readonly string[], empty: string): HTMLElement {
  return items.length === 0 ? h('p', {}, empty) : h('ul', {}, ...items.map((item) => h('li', {}, item)));
}

function fourEyesText(verification: Verification): string {
  const { required, approvals, awaitingSecondApproval } = verification.fourEyes;
  if (!required) return 'One approval decides.';
  if (awaitingSecondApproval) return `Awaiting second approval by another officer (first approval: ${approvals[0]?.officerId ?? '—'}).`;
  return `Four-eyes: ${approvals.length} of 2 approvals.`;
}

function requirements(verification: Verification): Child[] {
  const r = verification.requirements;
  return [
    definitionList([
      ['Currently due', list(r.currently_due, 'Nothing due')],
      ['Past due', list(r.past_due, 'Nothing past due')],
      ['Pending verification', list(r.pending_verification, 'Nothing pending')],
      ['Errors', r.errors.length === 0 ? 'None' : h('ul', {}, ...r.errors.map((error) => h('li', {}, `${error.requirement}: ${error.reason}`)))],
      ['Deadline', formatDate(r.current_deadline)],
    ]),
  ];
}

function decisionForm(verification: Verification, reload: () => void): HTMLElement | null {
  if (!can(...OFFICERS) || !['pending', 'in_review', 'action_required'].includes(verification.state)) return null;
  const decision = select('decision', [['approve', 'Approve'], ['request_changes', 'Request changes'], ['reject', 'Reject']]);
  const reason = h('textarea', { name: 'reason', rows: 3, cols: 50 });
  const submit = h('button', { type: 'submit' }, 'Record decision');
  return h('form', {
    class: 'card',
    onsubmit: (event) => {
      event.preventDefault();
      void act(submit, 'Recording the decision…', () =>
        ok(api.POST('/api/v1/verifications/{id}/decisions', {
          params: { path: { id: verification.id } },
          headers: { 'idempotency-key': idempotencyKey() },
          body: { decision: decision.value as 'approve', ...(reason.value.trim() === '' ? {} : { reason: reason.value.trim() }) },
        })),
      ).then((updated) => {
        if (updated !== undefined) reload();
      });
    },
  }, h('h2', {}, 'Decision'), field('Decision', decision), field('Reason (required to reject or request changes)', reason), submit);
}

/** The venue file: everything an officer needs to decide one verification, on one page. */
export async function verificationPage(params: Record<string, string>): Promise<void> {
  const id = params.id as string;
  const verification = await act(null, 'Loading the verification…', () => loadVerification(id));
  if (verification === undefined) {
    showPage('Verification not found', h('p', {}, 'It does not exist, or not for you.'));
    return;
  }
  const venueId = verification.venueId;
  const reload = (): void => void verificationPage(params);
  showPage(
    `${verification.legalName} — ${verification.state.replace('_', ' ')}`,
    h('p', { class: 'four-eyes', 'data-testid': 'four-eyes' }, fourEyesText(verification)),
    // The stored payout answer, as the payout-eligibility route gives it to the payments service.
    h('p', { 'data-testid': 'payout' }, verification.requirements.disabled_reason === null ? 'Eligible for payouts' : `Not eligible for payouts: ${verification.requirements.disabled_reason}`),
    section('Requirements', async () => requirements(verification)),
    section('Business', async () => [
      definitionList([
        ['Venue', venueId],
        ['EIN', verification.ein],
        ['Address', `${verification.businessAddress.line1}, ${verification.businessAddress.city}, ${verification.businessAddress.region} ${verification.businessAddress.postalCode}, ${verification.businessAddress.country}`],
        ['Contact', verification.contactEmail],
        ['Expected annual volume', money(verification.expectedAnnualVolumeCents)],
        ['Submitted', formatDate(verification.submittedAt)],
        ['Review deadline', formatDate(verification.reviewDeadline)],
      ]),
      table(['Beneficial owner', 'Date of birth', 'Ownership'], verification.beneficialOwners.map((owner) => [owner.fullName, owner.dateOfBirth, `${owner.ownershipPercent} %`]), 'Beneficial owners'),
    ]),
    section('Documents', () => documentsSection(venueId, reload)),
    section('Screening', async () => {
      const { items } = await ok(api.GET('/api/v1/screenings', { params: { query: { verificationId: verification.id } } }));
      return items.map((screening) =>
        h('article', { class: 'screening' },
          h('h3', {}, `${screening.subjectKey.split(':').slice(2).join(' ')}: ${screening.result.replace('_', ' ')}`),
          ...(screening.matches.length === 0 ? [h('p', {}, 'No match.')] : screening.matches.map((match) =>
            h('section', { 'aria-label': `Match: ${match.name}` },
              h('h4', {}, `${match.name} (${match.list} ${match.sdnId}): matched ${match.matchedName} (${match.matchedNameKind.replace('_', ' ')}), score ${match.score.toFixed(2)}`),
              ...matchExplanation(match.explanation, match.score),
            ))),
        ),
      );
    }),
    section('Risk', async () => {
      const risk = await ok(api.GET('/api/v1/venues/{venueId}/risk', { params: { path: { venueId } } }));
      const latest = risk.latest;
      return [
        h('p', {}, `Effective level: ${risk.effective.level.replace('_', ' ')} (${risk.effective.source})`),
        latest === null ? h('p', {}, 'Not assessed yet.') : table(['Factor', 'Points', 'Why'], latest.factors.map((factor) => [factor.key, factor.points, factor.description]), `Score ${latest.score}: factors`),
      ];
    }),
    section('Tax', async () => {
      const summary = await ok(api.GET('/api/v1/tax/venues/{venueId}/summary', { params: { path: { venueId }, query: {} } }));
      return [definitionList([
        ['Tax year', summary.taxYear],
        ['Gross', money(summary.grossMinor)],
        ['Transactions', summary.transactions],
        ['Thresholds', summary.thresholds.map((threshold) => `${threshold.jurisdiction}: ${threshold.met ? 'met' : 'not met'}`).join(', ') || '—'],
      ])];
    }),
    section('Alerts', async () => {
      const { items } = await ok(api.GET('/api/v1/alerts', { params: { query: { venueId } } }));
      return [items.length === 0 ? h('p', {}, 'No alerts.') : table(['Alert', 'Severity', 'Status', 'Due'], items.map((alert) => [
        h('a', { href: `#/alerts/${alert.id}` }, `${alert.matchedName} (${alert.list} ${alert.sdnId})`), alert.severity, alert.status, formatDate(alert.dueAt),
      ]), 'Screening alerts')];
    }),
    section('Decisions', async () => [
      verification.decisions.length === 0 ? h('p', {}, 'No decisions yet.') : table(['Decision', 'Officer', 'Round', 'Reason', 'When'], verification.decisions.map((decision) => [
        decision.decision.replace('_', ' '), decision.officerId, decision.round, decision.reason ?? '—', formatDate(decision.decidedAt),
      ]), 'Decisions so far'),
    ]),
    decisionForm(verification, reload),
    section('Audit timeline', async () => {
      const { items } = await ok(api.GET('/api/v1/audit', { params: { query: { resourceId: verification.id, limit: 50 } } }));
      return [table(['When', 'Who', 'What'], items.map((entry) => [formatDate(entry.occurredAt), entry.actor, entry.action]), 'Changes to this verification, newest first')];
    }),
  );
  announce('');
}
