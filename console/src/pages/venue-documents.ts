import { api, idempotencyKey, ok } from '../api';
import { type Child, formatDate, h } from '../dom';
import { act } from '../status';
import { can, OFFICERS } from '../who';

/** The kinds the upload accepts; the blob gets its type from here, never from the file. */
const PREVIEWABLE = new Set(['application/pdf', 'image/png', 'image/jpeg']);

type DocumentDecision = 'accepted' | 'rejected' | 'revision_requested';

/**
 * Fetched with the caller's credentials and shown from a blob: URL, never from the API's URL.
 *
 * Images are plain <img>: decoded as pixels, never run as a document.
 *
 * PDFs cannot go in a sandboxed <iframe>: Chromium (and Safari) will not run their PDF viewer in
 * any sandboxed frame, whatever its allow-list (crbug.com/413851, whatwg/html#3958); the preview
 * showed an error page. Loosening the sandbox to `allow-scripts allow-same-origin` would let an
 * uploaded file script the console, and pdf.js (to draw inside a sandbox) costs several times the
 * console's 250 kB budget. So a PDF is an <object> whose blob is typed application/pdf here (the
 * API checked the upload's magic bytes; the type never comes from the file), so the bytes only
 * ever reach the browser's PDF viewer, which runs apart from this page and cannot script it
 * (Chromium: PDFium in its viewer's own origin and process; Firefox: pdf.js; Safari: PDFKit).
 * The trade-off: the viewer's own features (links, forms, printing) are the browser's, not a
 * sandbox's. Without a viewer (turned off, or a headless shell) the object shows its fallback.
 */
function previewElement(url: string, contentType: string, fileName: string): HTMLElement {
  if (contentType !== 'application/pdf') return h('img', { src: url, alt: `Preview of ${fileName}`, class: 'preview', 'data-testid': 'document-preview' });
  return h('object', { data: url, type: 'application/pdf', 'aria-label': `Preview of ${fileName}`, class: 'preview', 'data-testid': 'document-preview' },
    h('p', {}, 'This browser shows no PDFs inline: ', h('a', { href: url, download: fileName }, `download ${fileName}`), '.'));
}

async function preview(documentId: string, contentType: string, fileName: string, target: HTMLElement): Promise<void> {
  const { data, response } = await api.GET('/api/v1/documents/{id}/content', { params: { path: { id: documentId } }, parseAs: 'blob' });
  if (!response.ok || !(data instanceof Blob)) throw new Error(`The document could not be loaded (HTTP ${response.status})`);
  // One preview at a time: the one it replaces lets its bytes go.
  if (target.dataset.url !== undefined) URL.revokeObjectURL(target.dataset.url);
  const url = URL.createObjectURL(new Blob([data], { type: contentType }));
  target.dataset.url = url;
  target.replaceChildren(previewElement(url, contentType, fileName));
}

export async function documentsSection(venueId: string, reload: () => void): Promise<Child[]> {
  const { items } = await ok(api.GET('/api/v1/venues/{venueId}/documents', { params: { path: { venueId } } }));
  if (items.length === 0) return [h('p', {}, 'No documents uploaded.')];
  const viewer = h('div', { class: 'viewer' });
  const decide = (documentId: string, decision: DocumentDecision, button: HTMLButtonElement, reason?: string) =>
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
    const fileName = document.fileName ?? `${document.kind}${document.contentType === 'application/pdf' ? '.pdf' : ''}`;
    const previewButton = h('button', { type: 'button', disabled: !PREVIEWABLE.has(document.contentType) }, `Preview ${document.kind}`);
    previewButton.addEventListener('click', () => void act(previewButton, 'Loading the document…', () => preview(document.id, document.contentType, fileName, viewer)));
    const actions: Child[] = [previewButton];
    if (can(...OFFICERS) && document.status === 'pending') {
      const accept = h('button', { type: 'button' }, `Accept ${document.kind}`);
      accept.addEventListener('click', () => void decide(document.id, 'accepted', accept));
      // One reason serves both refusals; the API asks for it (and says so) when it is empty.
      const reason = h('input', { type: 'text', 'aria-label': `Reason to reject ${document.kind} or request changes`, placeholder: 'Reason' });
      const refusal = (decision: DocumentDecision, label: string): HTMLButtonElement => {
        const button = h('button', { type: 'button' }, label);
        button.addEventListener('click', () => void decide(document.id, decision, button, reason.value.trim() || undefined));
        return button;
      };
      actions.push(accept, reason, refusal('rejected', `Reject ${document.kind}`), refusal('revision_requested', `Request changes to ${document.kind}`));
    }
    return h('tr', {},
      h('td', {}, document.kind),
      h('td', {}, document.fileName ?? '—'),
      h('td', { 'data-testid': `document-status-${document.kind}` }, document.status.replace('_', ' ')),
      h('td', {}, document.decisionReason ?? '—'),
      h('td', {}, formatDate(document.uploadedAt)),
      h('td', {}, ...actions),
    );
  });
  return [
    h('table', {}, h('caption', {}, 'Documents'), h('thead', {}, h('tr', {}, ...['Kind', 'File', 'Status', 'Reason', 'Uploaded', 'Actions'].map((title) => h('th', { scope: 'col' }, title)))), h('tbody', {}, ...rows)),
    viewer,
  ];
}
