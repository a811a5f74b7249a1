import type { Locator, Page } from 'playwright-core';
import { pngBytes } from '../fixtures/document-bytes';
import { assess } from '../helpers/risk-flow';
import { insertCharges } from '../helpers/tax-flow';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { startVerification, upload } from '../helpers/venue-flow';
import { ConsoleBrowser } from '../helpers/console-browser';
import { consoleTestBed } from './console-test-bed';
import { onePagePdf } from './one-page-pdf';
import { countPixels } from './png-pixels';
import { definitionOf } from './page-text';

interface Alert {
  matchedName: string;
}

interface Screening {
  subjectKey: string;
  result: string;
  matches: Array<{ sdnId: string; explanation: { tokens: Array<{ query: string; matched: string | null; similarity: number; weight: number }> } }>;
}

/** An <img> in the page (the tests compile without the DOM library). */
interface DecodableImage {
  decode(): Promise<void>;
  naturalWidth: number;
  currentSrc: string;
}

const EIN = '12-3456789';

/** The venue file in a real browser: every section shows the venue's real data, and documents are decided and previewed. */
describe('the officer console: venue file', () => {
  const bed = consoleTestBed('console_venue_file', { JOBS_WORKERS: 'false' });
  let officer: TestCaller;
  let verificationId: string;
  let idRequirement: string;

  beforeAll(async () => {
    officer = await callerOf(['compliance_officer']);
    const started = await startVerification(bed.app, officer, 'venue-file', {
      legalName: 'File Hall LLC',
      ein: EIN,
      beneficialOwners: [{ fullName: 'snowsjohn', dateOfBirth: '1975-03-01', ownershipPercent: 40 }],
    });
    verificationId = started.id;
    const ownerId = started.beneficialOwners[0]?.id as string;
    idRequirement = `owners.${ownerId}.id_document`;
    expect((await upload(bed.app, officer, 'venue-file', { kind: 'W9' }, onePagePdf('W-9 of File Hall LLC'), 'w9-file-hall.pdf')).statusCode).toBe(201);
    expect((await upload(bed.app, officer, 'venue-file', { kind: 'ID', ownerId }, pngBytes(), 'owner-id.png', 'image/png')).statusCode).toBe(201);
    await insertCharges(bed.db, officer.tenantId, 'venue-file', new Date().getUTCFullYear(), 12, 1_234_500);
    // The review deadline passed yesterday: whatever is due is past due.
    await bed.db.query("UPDATE venue_verifications SET review_deadline = now() - interval '1 day' WHERE id = $1", [verificationId]);
  }, 60_000);

  const openFile = async (): Promise<Page> => {
    const page = await bed.signedIn(officer);
    await page.goto(`${bed.base}/console/#/verifications/${verificationId}`);
    await page.getByRole('heading', { name: /^File Hall LLC — / }).waitFor();
    return page;
  };
  const screeningsOf = async (id: string): Promise<Screening[]> =>
    (await bed.app.inject({ method: 'GET', url: `/api/v1/screenings?verificationId=${id}`, headers: officer.headers })).json<{ items: Screening[] }>().items;
  const requirement = (page: Page, term: string): Locator => definitionOf(page.getByRole('region', { name: 'Requirements' }), term);

  it('shows the requirements, the masked EIN, the screening with its token-by-token explanation, risk, tax, alerts and the audit timeline', async () => {
    const assessment = await assess(bed.app, officer, 'venue-file');
    const hit = (await screeningsOf(verificationId)).find((screening) => screening.result === 'POTENTIAL_MATCH')?.matches.find((match) => match.sdnId === '28263');
    if (hit === undefined) throw new Error('the owner should be a potential match of OFAC entry 28263');
    const [alert] = (await bed.app.inject({ method: 'GET', url: '/api/v1/alerts?venueId=venue-file', headers: officer.headers })).json<{ items: Alert[] }>().items;
    const page = await openFile();

    // Nothing is due while every item waits for an officer: the documents, the potential match, the manual-review risk.
    await requirement(page, 'Pending verification').waitFor();
    await expect(requirement(page, 'Pending verification').locator('li').allTextContents()).resolves.toEqual(['documents.w9', idRequirement, 'sanctions.screening', 'risk.assessment']);
    expect(await requirement(page, 'Currently due').textContent()).toBe('Nothing due');
    expect(await requirement(page, 'Past due').textContent()).toBe('Nothing past due');
    expect(await requirement(page, 'Errors').textContent()).toBe('None');

    const business = page.getByRole('region', { name: 'Business' });
    expect(await definitionOf(business, 'EIN').textContent()).toBe('**-***6789');

    const owner = page.getByRole('region', { name: 'Screening' }).locator('article', { hasText: 'owner SNOWSJOHN: POTENTIAL MATCH' });
    const tokens = owner.getByRole('region', { name: /^Match: / }).getByRole('table', { name: /^Token by token/ });
    await tokens.waitFor();
    expect(hit.explanation.tokens.length).toBeGreaterThan(0);
    await expect(cellsOf(tokens)).resolves.toEqual(hit.explanation.tokens.map((token) => [token.query, token.matched ?? '— (no match)', token.similarity.toFixed(2), token.weight.toFixed(2)]));

    const risk = page.getByRole('region', { name: 'Risk' });
    await risk.getByText(`Effective level: ${assessment.level.replace('_', ' ')} (assessment)`).waitFor();
    expect(assessment.factors.map((factor) => factor.key)).toContain('screening.potential_match');
    await expect(cellsOf(risk.getByRole('table', { name: `Score ${assessment.score}: factors` }))).resolves.toEqual(
      assessment.factors.map((factor) => [factor.key, String(factor.points), factor.description]),
    );

    const tax = page.getByRole('region', { name: 'Tax' });
    await definitionOf(tax, 'Gross').getByText('$12,345.00').waitFor();
    expect(await definitionOf(tax, 'Transactions').textContent()).toBe('12');
    expect(await definitionOf(tax, 'Tax year').textContent()).toBe(String(new Date().getUTCFullYear()));

    const alerts = page.getByRole('region', { name: 'Alerts' }).getByRole('table', { name: 'Screening alerts' });
    await alerts.waitFor();
    await expect(cellsOf(alerts)).resolves.toEqual([[`${alert?.matchedName} (OFAC-SDN 28263)`, 'medium', 'open', expect.any(String)]]);

    const timeline = page.getByRole('table', { name: 'Changes to this verification, newest first' });
    await timeline.waitFor();
    await expect(cellsOf(timeline)).resolves.toEqual([[expect.any(String), officer.userId, 'verification.submitted']]);

    // However the page puts it, the full EIN is never shown: not with its dash, not without.
    const text = await page.locator('body').innerText();
    expect(text).not.toContain(EIN);
    expect(text).not.toContain(EIN.replace('-', ''));
    await ConsoleBrowser.expectAccessible(page, 'venue file with every section');
  }, 60_000);

  it('previews the W-9 and the owner\'s ID, rejects one and asks for changes to the other, and keeps a refused decision as typed', async () => {
    const page = await openFile();
    await page.getByRole('button', { name: 'Preview W9' }).click();
    const pdf = page.locator('object[data-testid="document-preview"]');
    await pdf.waitFor();
    expect(await pdf.getAttribute('type')).toBe('application/pdf');
    expect(await pdf.getAttribute('data')).toMatch(/^blob:/);
    // Drawn, not just embedded: the page's red band shows in the preview once the viewer has rendered it.
    expect(await redPixelsOnceDrawn(pdf)).toBeGreaterThan(5_000);
    await page.getByRole('button', { name: 'Preview ID' }).click();
    const image = page.locator('img[data-testid="document-preview"]');
    await image.waitFor();
    // Decoded (decode() waits for it, and fails on a broken image): the owner's 1×1 PNG, from a blob: URL under the console's CSP.
    expect(await image.evaluate(async (element: DecodableImage) => {
      await element.decode();
      return [element.naturalWidth, element.currentSrc.startsWith('blob:')];
    })).toEqual([1, true]);

    await page.getByLabel('Reason to reject W9 or request changes').fill('Unsigned form');
    await page.getByRole('button', { name: 'Reject W9' }).click();
    await page.getByTestId('document-status-W9').getByText('rejected').waitFor();
    await requirement(page, 'Errors').waitFor();
    await expect(requirement(page, 'Errors').locator('li').allTextContents()).resolves.toEqual(['documents.w9: Unsigned form']);
    await expect(requirement(page, 'Currently due').locator('li').allTextContents()).resolves.toEqual(['documents.w9']);
    // The deadline has passed: what is due is past due.
    await expect(requirement(page, 'Past due').locator('li').allTextContents()).resolves.toEqual(['documents.w9']);

    // Asking for changes needs a reason: the API says so, and the document stays pending.
    await page.getByRole('button', { name: 'Request changes to ID' }).click();
    await page.getByRole('status').getByText(/a reason is required/).waitFor();
    expect(await page.getByTestId('document-status-ID').textContent()).toBe('pending');
    await page.getByLabel('Reason to reject ID or request changes').fill('The photo is cut off');
    await page.getByRole('button', { name: 'Request changes to ID' }).click();
    await page.getByTestId('document-status-ID').getByText('revision requested').waitFor();
    await requirement(page, 'Errors').waitFor();
    await expect(requirement(page, 'Errors').locator('li').allTextContents()).resolves.toEqual(['documents.w9: Unsigned form', `${idRequirement}: The photo is cut off`]);
    await expect(requirement(page, 'Past due').locator('li').allTextContents()).resolves.toEqual(['documents.w9', idRequirement]);

    // Approve is refused while documents are due; the form keeps the reason, and the officer asks for changes with it as typed.
    const reason = page.getByLabel('Reason (required to reject or request changes)');
    await reason.fill('Send a signed W-9 and a full photo of the ID');
    await page.getByLabel('Decision', { exact: true }).selectOption('approve');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.getByRole('status').getByText(/Cannot approve while requirements are outstanding: documents\.w9/).waitFor();
    expect(await page.getByLabel('Decision', { exact: true }).inputValue()).toBe('approve');
    expect(await reason.inputValue()).toBe('Send a signed W-9 and a full photo of the ID');
    await page.getByLabel('Decision', { exact: true }).selectOption('request_changes');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.getByRole('heading', { name: 'File Hall LLC — action required' }).waitFor();
    await expect(requirement(page, 'Errors').locator('li').first().textContent()).resolves.toBe('business.resubmission: Send a signed W-9 and a full photo of the ID');
    await expect(cellsOf(page.getByRole('table', { name: 'Decisions so far' }))).resolves.toEqual([['request changes', officer.userId, '1', 'Send a signed W-9 and a full photo of the ID', expect.any(String)]]);
    const timeline = page.getByRole('table', { name: 'Changes to this verification, newest first' });
    await timeline.waitFor();
    await expect(timeline.locator('tbody tr td:nth-child(3)').allTextContents()).resolves.toEqual(['verification.request_changes', 'verification.submitted']);
  }, 60_000);
});

/**
 * The red pixels of the preview, taken again until the viewer has drawn the band (it renders after
 * the element is in place) or ten seconds have passed: each screenshot is the wait.
 */
async function redPixelsOnceDrawn(preview: Locator): Promise<number> {
  const deadline = Date.now() + 10_000;
  let red = 0;
  while (red < 5_000 && Date.now() < deadline) red = countPixels(await preview.screenshot(), (r, g, b) => r > 200 && g < 60 && b < 60);
  return red;
}

/** The rows of a table's body, cell by cell. */
function cellsOf(table: Locator): Promise<Array<Array<string | null>>> {
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)));
}
