import { api, idempotencyKey, ok } from '../api';
import { type Child, formatDate, h } from '../dom';
import { act } from '../status';
import { can, OFFICERS } from '../who';

const PREVIEWABLE = new Set(['application/pdf', 'image/png', 'image/jpeg']);

/**
 * Fetched with the caller's credentials and shown from a blob: URL, never from the API's URL:
 * the frame is sandboxed (no scripts, no same-origin access), images are plain <img>.
 */
async function preview(documentId: string, contentType: string, target: HTMLElement): Promise<void> {
  const { data, response } = await api.GET('/api/v1/documents/{id}/content', { params: { path: { id: documentId } }, parseAs: 'blob' });
  if (!response.ok || !(data instanceof Blob)) throw new Error(`The document could not be loaded (HTTP ${response.status})`);
  const url = URL.createObjectURL(new Blob([data], { type: contentType }));
  target.replaceChildren(
    contentType === 'application/pdf'
      ? h('iframe', { src: url, sandbox: '', title: 'Document preview', class: 'preview', 'data-testid': 'document-preview' })
      : h('img', { src: url, alt: 'Document preview', class: 'preview', 'data-testid': 'document-preview' }),
  );
}

export async function documentsSection(venueId: string, reload: () => void): Promise<Child[]> {
  const { items } = await ok(api.GET('/api/v1/venues/{venueId}/documents', { params: { path: { venueId } } }));
  if (items.length === 0) return [h('p', {}, 'No documents uploaded.')];
  const viewer = h('div', { class: 'viewer' });
  const decide = (documentId: string, decision: 'accepted' | 'rejected', button: HTMLButtonElement, reason?: string) =>
    act(button, 'Recording the document decision…', () =>
      ok(api.POST('/api/v1/documents/{id}/decisions', {
        params: { path: { id: documentId } },
        headers: { 'idempotency-key': idempotencyKey() },
        body: { decision, ...(reason === undefined ? {} : { reason }) },
      })),
    ).then((done) => {
      if (done !== undefined) reload();
    });
  const rows = items.map((document) => {
    const previewButton = h('button', { type: 'button', disabled: !PREVIEWABLE.has(document.contentType) }, `Preview ${document.kind}`);
    previewButton.addEventListener('click', () => void act(previewButton, 'Loading the document…', () => preview(document.id, document.contentType, viewer)));
    const actions: Child[] = [previewButton];
    if (can(...OFFICERS) && document.status === 'pending') {
      const accept = h('button', { type: 'button' }, `Accept ${document.kind}`);
      accept.addEventListener('click', () => void decide(document.id, 'accepted', accept));
      const reason = h('input', { type: 'text', 'aria-label': `Reason to reject ${document.kind}`, placeholder: 'Reason to reject' });
      const reject = h('button', { type: 'button' }, `Reject ${document.kind}`);
      reject.addEventListener('click', () => void decide(document.id, 'rejected', reject, reason.value.trim() || undefined));
      actions.push(accept, reason, reject);
    }
    return h('tr', {},
      h('td', {}, document.kind),
      h('td', {}, document.fileName ?? '—'),
      h('td', { 'data-testid': `document-status-${document.kind}` }, document.status.replace('_', ' ')),
      h('td', {}, formatDate(document.uploadedAt)),
      h('td', {}, ...actions),
    );
  });
  return [
    h('table', {}, h('caption', {}, 'Documents'), h('thead', {}, h('tr', {}, ...['Kind', 'File', 'Status', 'Uploaded', 'Actions'].map((title) => h('th', { scope: 'col' }, title)))), h('tbody', {}, ...rows)),
    viewer,
  ];
}
