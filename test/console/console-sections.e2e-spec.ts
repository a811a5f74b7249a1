import { join } from 'node:path';
import { pdfBytes } from '../fixtures/document-bytes';
import { ConsoleBrowser } from '../helpers/console-browser';
import { raiseFlag } from '../helpers/risk-flow';
import { insertCharges } from '../helpers/tax-flow';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { startVerification } from '../helpers/venue-flow';
import { consoleTestBed, SCREENSHOTS } from './console-test-bed';
import { definitionOf, expectTexts } from './page-text';

/** The console's other sections in a real browser, as a compliance manager and a venue owner. */
describe('the officer console: alerts, risk flags, tax, privacy, audit, my venues', () => {
  const bed = consoleTestBed('console_sections', { JOBS_WORKERS: 'false' });
  let manager: TestCaller;
  const signedIn = (caller: TestCaller) => bed.signedIn(caller);

  beforeAll(async () => {
    manager = await callerOf(['compliance_manager']);
  });

  it('works an alert: list, explanation, assign, investigate, comment, close as a false positive that a re-screen remembers', async () => {
    await startVerification(bed.app, manager, 'venue-listed', { beneficialOwners: [{ fullName: 'Ayman al-Zawahiri', dateOfBirth: '1951-06-19', ownershipPercent: 30 }] });
    const page = await signedIn(manager);
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    await page.getByRole('link', { name: /OFAC-SDN 2676/ }).waitFor();
    await ConsoleBrowser.expectAccessible(page, 'alerts');
    await page.getByLabel('Overdue').selectOption('true');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No alerts match these filters.').waitFor();
    await page.getByLabel('Overdue').selectOption('');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('link', { name: /OFAC-SDN 2676/ }).click();
    await page.getByRole('heading', { name: /^Alert: / }).waitFor();
    await page.getByRole('table', { name: /Token by token/ }).waitFor();
    await ConsoleBrowser.expectAccessible(page, 'alert');
    await page.screenshot({ path: join(SCREENSHOTS, 'alert.png'), fullPage: true });
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await page.getByTestId('alert-assignee').getByText(manager.userId).waitFor();
    await page.getByRole('button', { name: 'Start investigating' }).click();
    await page.getByTestId('alert-status').getByText('investigating').waitFor();
    await page.getByLabel('Comment', { exact: true }).fill('Looked at the DOB');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.getByRole('cell', { name: 'Looked at the DOB' }).waitFor();
    // Refusal: no reason → the API's words, form kept.
    await page.getByRole('button', { name: 'Close alert' }).click();
    await page.getByRole('status').getByText(/reason/i).waitFor();
    await page.getByLabel('Reason', { exact: true }).fill('Different person: DOB differs');
    await page.getByLabel(/Re-review after/).fill('30');
    await page.getByRole('button', { name: 'Close alert' }).click();
    await page.getByTestId('alert-status').getByText('closed').waitFor();

    // The false positive is remembered: a re-screen of the tenant opens no new alert for the same hit.
    const admin = await callerOf(['admin'], { tenantId: manager.tenantId });
    expect((await bed.app.inject({ method: 'POST', url: '/api/v1/sanctions/rescreen', headers: admin.headers })).json()).toMatchObject({ alertsOpened: 0 });
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByLabel('Status').selectOption('open');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No alerts match these filters.').waitFor();
  }, 90_000);

  it('closes a potential match as a confirmed match, which stops the venue\'s payouts as listed', async () => {
    await startVerification(bed.app, manager, 'venue-potential', { legalName: 'Potential Hall LLC', beneficialOwners: [{ fullName: 'snowsjohn', dateOfBirth: '1975-03-01', ownershipPercent: 40 }] });
    const page = await signedIn(manager);
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByLabel('Status').selectOption('open');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('link', { name: /OFAC-SDN 28263/ }).click();
    await page.getByRole('heading', { name: /^Alert: .*\(OFAC-SDN 28263\)$/ }).waitFor();
    const main = page.locator('main');
    expect(await definitionOf(main, 'Severity').textContent()).toBe('medium');
    await page.getByLabel('Outcome').selectOption('confirmed_match');
    await page.getByLabel('Reason', { exact: true }).fill('Same person: the e-mail on file is the listed one');
    await page.getByRole('button', { name: 'Close alert' }).click();
    await page.getByTestId('alert-status').getByText('closed').waitFor();
    expect(await definitionOf(main, 'Outcome').textContent()).toBe('confirmed match');
    await page.getByRole('table', { name: 'Timeline, oldest first' }).getByRole('cell', { name: 'Same person: the e-mail on file is the listed one' }).waitFor();
    // The hit is decided: the venue is listed, and its payouts stop.
    await page.getByRole('link', { name: 'Venue venue-potential' }).click();
    await page.getByTestId('payout').getByText('Not eligible for payouts: listed').waitFor();
    const errors = definitionOf(page.getByRole('region', { name: 'Requirements' }), 'Errors');
    await expect(errors.locator('li').allTextContents()).resolves.toEqual(['sanctions.screening: A party matches a sanctions list entry']);
  }, 60_000);

  it('works risk flags, the tax report with its CSV, privacy requests and the audit log with the chain check', async () => {
    await raiseFlag(bed.app, manager, 'venue-listed', 'high');
    const year = new Date().getUTCFullYear();
    await insertCharges(bed.db, manager.tenantId, 'venue-listed', year, 250, 3_000_000);
    const page = await signedIn(manager);
    await page.getByRole('link', { name: 'Risk flags' }).click();
    await page.getByRole('cell', { name: 'high chargebacks' }).waitFor();
    await ConsoleBrowser.expectAccessible(page, 'risk flags');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByRole('status').getByText(/note/i).waitFor();
    await page.getByLabel(/Resolution note/).fill('Chargebacks explained');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByText(/Chargebacks explained/).waitFor();

    await page.getByRole('link', { name: 'Tax', exact: true }).click();
    await page.getByLabel('Tax year').waitFor();
    await page.getByRole('heading', { name: 'Tax' }).waitFor();
    await page.getByRole('cell', { name: 'venue-listed' }).waitFor();
    await ConsoleBrowser.expectAccessible(page, 'tax');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    expect((await download).suggestedFilename()).toBe(`1099-k-${year}.csv`);

    await page.getByRole('link', { name: 'Privacy' }).click();
    await page.getByLabel('Subject (venue id)').fill('venue-listed');
    await page.getByLabel('What the subject asks, and how it reached us').fill('Email of 1 Dec: a copy of my data');
    await page.getByRole('button', { name: 'Record request' }).click();
    await page.getByRole('cell', { name: 'Email of 1 Dec: a copy of my data' }).waitFor();
    await ConsoleBrowser.expectAccessible(page, 'privacy');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByTestId(/^privacy-state-/).getByText('in progress').waitFor();
    await page.getByLabel('Reason to extend').fill('Many records');
    await page.getByRole('button', { name: 'Extend' }).click();
    await page.getByRole('cell', { name: /Many records/ }).waitFor();
    await page.getByRole('button', { name: 'Complete (export)' }).click();
    await page.getByRole('button', { name: 'Export link' }).click();
    const link = page.getByRole('link', { name: /privacy-exports/ });
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/privacy-exports\/[0-9a-f-]+\/[0-9a-f-]+\?expires=\d+&signature=[0-9a-f]{64}$/);
    await page.getByLabel('Overdue only').check();
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No privacy requests match these filters.').waitFor();

    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('cell', { name: 'privacy.export_link_issued' }).waitFor();
    await ConsoleBrowser.expectAccessible(page, 'audit');
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByTestId('chain-result').getByText(/Chain intact/).waitFor();
    await page.getByLabel('Action', { exact: true }).fill('alert.assigned');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('cell', { name: 'alert.assigned' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'audit.png'), fullPage: true });
  }, 90_000);

  it('lists privacy requests soonest due first, so an overdue one leads even when received later', async () => {
    const record = async (subjectId: string): Promise<string> => {
      const response = await bed.app.inject({ method: 'POST', url: '/api/v1/privacy/requests', headers: manager.headers, payload: { subjectId, type: 'access', reason: `Letter from ${subjectId}` } });
      expect(response.statusCode).toBe(201);
      return response.json<{ id: string }>().id;
    };
    const onTime = await record('venue-on-time');
    const overdue = await record('venue-overdue');
    // Received 50 days ago but extended by two months: due in 40 days. Received 35 days ago, not extended: due 4 days ago.
    await bed.db.query(
      "UPDATE privacy_requests SET received_at = now() - interval '50 days', due_at = now() + interval '40 days', extended_at = now() - interval '45 days', extension_reason = 'Many records' WHERE id = $1",
      [onTime],
    );
    await bed.db.query("UPDATE privacy_requests SET received_at = now() - interval '35 days', due_at = now() - interval '4 days' WHERE id = $1", [overdue]);
    const page = await signedIn(manager);
    await page.getByRole('link', { name: 'Privacy' }).click();
    await page.getByLabel('State').selectOption('received');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expectTexts(page, 'tbody tr td:first-child', ['venue-overdue', 'venue-on-time']);
    await expectTexts(page, 'tbody tr.is-overdue td:first-child', ['venue-overdue']);
    const [first, second] = [page.locator('tbody tr').nth(0), page.locator('tbody tr').nth(1)];
    expect(await first.locator('td').nth(3).textContent()).toMatch(/ \(overdue\)$/);
    expect(await second.locator('td').nth(3).textContent()).not.toContain('overdue');
    // Past its first month a request can no longer be extended (Art. 12(3)): the overdue row offers no extension.
    expect(await first.getByRole('button', { name: 'Extend' }).count()).toBe(0);
    await page.getByLabel('Overdue only').check();
    await page.getByRole('button', { name: 'Filter' }).click();
    await expectTexts(page, 'tbody tr td:first-child', ['venue-overdue']);
  }, 60_000);

  it('pages through long lists with the API\'s cursors', async () => {
    for (let index = 0; index < 55; index += 1) await raiseFlag(bed.app, manager, 'venue-listed', 'low', `bulk-${index}`);
    const page = await signedIn(manager);
    await page.goto(`${bed.base}/console/#/risk-flags`);
    await page.getByLabel('Severity').selectOption('low');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByRole('button', { name: 'Load more' }).waitFor({ state: 'hidden' });
    expect(await page.locator('table tbody tr').count()).toBe(55);
    await page.goto(`${bed.base}/console/#/privacy`);
    await page.getByRole('cell', { name: 'Email of 1 Dec: a copy of my data' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'privacy.png'), fullPage: true });
  }, 60_000);

  it('shows a venue owner their venues\' status and takes an upload', async () => {
    const owner = await callerOf(['venue_owner'], { tenantId: manager.tenantId, venueIds: ['venue-listed'] });
    const page = await signedIn(owner);
    await page.getByRole('heading', { name: 'My venues' }).waitFor();
    await page.getByRole('table', { name: /Verifications of venue-listed/ }).waitFor();
    await ConsoleBrowser.expectAccessible(page, 'my venues');
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('status').getByText(/file/i).waitFor();
    await page.getByLabel('Kind').selectOption('W9');
    await page.getByLabel('File (PDF, PNG or JPEG)').setInputFiles({ name: 'w9.pdf', mimeType: 'application/pdf', buffer: pdfBytes('owner w9') });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByTestId('document-status-W9').getByText('pending').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'my-venues.png'), fullPage: true });
  }, 60_000);
});
