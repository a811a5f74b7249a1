import { api, ApiProblem, idempotencyKey, ok, session } from '../api';
import { append, type Child, field, formatDate, h, select, showPage, table } from '../dom';
import type { paths } from '../generated/openapi';
import { act, announce } from '../status';
import { caller } from '../who';
import { documentsSection } from './venue-documents';

type Upload = paths['/api/v1/venues/{venueId}/documents']['post'];
type UploadedDocument = Upload['responses'][201]['content']['application/json'];
type DocumentKind = Upload['requestBody']['content']['multipart/form-data']['kind'];
type Verification = Awaited<ReturnType<typeof loadVerifications>>['items'][number];

const KINDS: Array<[DocumentKind, string]> = [['W9', 'W-9'], ['ID', 'ID of a beneficial owner'], ['BUSINESS_LICENSE', 'Business license'], ['OTHER', 'Other']];

function loadVerifications(venueId: string) {
  return ok(api.GET('/api/v1/venues/{venueId}/verifications', { params: { path: { venueId } } }));
}

/**
 * A multipart upload, sent with fetch: openapi-fetch's body typing is for JSON. The API wants the
 * fields before the file, and refuses with problem+json like any other route.
 */
async function upload(venueId: string, body: FormData): Promise<UploadedDocument> {
  const token = session.token();
  const response = await fetch(`/api/v1/venues/${encodeURIComponent(venueId)}/documents`, {
    method: 'POST',
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), 'idempotency-key': idempotencyKey() },
    body,
  });
  const answer: unknown = await response.json().catch(() => ({}));
  if (response.ok) return answer as UploadedDocument;
  if (response.status === 401) window.dispatchEvent(new CustomEvent('console:unauthorized'));
  throw new ApiProblem(response.status, answer as ConstructorParameters<typeof ApiProblem>[1]);
}

function due(items: readonly string[]): string {
  return items.length === 0 ? 'Nothing' : items.join(', ');
}

function verificationsTable(venueId: string, verifications: readonly Verification[]): Child {
  if (verifications.length === 0) return h('p', {}, 'No verification started for this venue.');
  return table(['Verification', 'Status', 'Currently due', 'Past due', 'Pending verification', 'Deadline', 'Submitted'], verifications.map((verification) => [
    h('a', { href: `#/verifications/${verification.id}` }, verification.legalName),
    h('span', { 'data-testid': `venue-status-${venueId}` }, verification.state.replace('_', ' ')),
    due(verification.requirements.currently_due),
    due(verification.requirements.past_due),
    due(verification.requirements.pending_verification),
    formatDate(verification.requirements.current_deadline),
    formatDate(verification.submittedAt),
  ]), `Verifications of ${venueId}, newest first`);
}

/** Kind, the beneficial owner an ID identifies (from the latest verification), and one file. */
function uploadForm(venueId: string, latest: Verification | undefined, uploaded: () => void): HTMLFormElement {
  const kind = select('kind', KINDS);
  const owners: Array<[string, string]> = [['', 'Not an ID'], ...(latest?.beneficialOwners ?? []).map((owner): [string, string] => [owner.id, owner.fullName])];
  const owner = select('ownerId', owners);
  const file = h('input', { type: 'file', name: 'file', accept: 'application/pdf,image/png,image/jpeg' });
  const submit = h('button', { type: 'submit' }, 'Upload');
  const form = h('form', {
    class: 'card',
    'aria-label': `Upload a document for ${venueId}`,
    onsubmit: (event) => {
      event.preventDefault();
      const body = new FormData();
      body.append('kind', kind.value);
      if (owner.value !== '') body.append('ownerId', owner.value);
      const chosenFile = file.files?.[0];
      if (chosenFile !== undefined) body.append('file', chosenFile, chosenFile.name);
      void act(submit, 'Uploading the document…', () => upload(venueId, body)).then((stored) => {
        if (stored === undefined) return;
        form.reset();
        uploaded();
      });
    },
  }, h('h3', {}, 'Upload a document'), field('Kind', kind), field('Beneficial owner (for an ID)', owner),
  field('File (PDF, PNG or JPEG)', file), submit);
  return form;
}

/** One venue: its verifications with what is due, the upload form and the documents sent so far. */
async function renderVenue(container: HTMLElement, venueId: string): Promise<void> {
  const reload = (): void => void renderVenue(container, venueId);
  try {
    const { items } = await loadVerifications(venueId);
    const documents = await documentsSection(venueId, reload);
    container.replaceChildren(h('h2', {}, `Venue ${venueId}`));
    append(container, [verificationsTable(venueId, items), uploadForm(venueId, items[0], reload), ...documents]);
  } catch (error) {
    container.replaceChildren(h('h2', {}, `Venue ${venueId}`), h('p', { class: 'problem' }, error instanceof Error ? error.message : String(error)));
  }
}

/** A venue owner's own venues (and only those: the API answers 404 for any other). */
export async function myVenuesPage(): Promise<void> {
  const venueIds = caller()?.venueIds ?? [];
  const sections = venueIds.map((venueId) => h('section', { 'aria-label': `Venue ${venueId}`, 'data-venue': venueId }, h('h2', {}, `Venue ${venueId}`), 'Loading…'));
  showPage('My venues', venueIds.length === 0 ? h('p', {}, 'Your account has no venues.') : null, ...sections);
  await Promise.all(sections.map((section, index) => renderVenue(section, venueIds[index] as string)));
  announce('');
}
