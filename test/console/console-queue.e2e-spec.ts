import type { Page } from 'playwright-core';
import { assess } from '../helpers/risk-flow';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { startVerification } from '../helpers/venue-flow';
import { consoleTestBed } from './console-test-bed';
import { expectTexts } from './page-text';

const ROWS = 'table.queue tbody tr td:first-child';
const SELECTED = 'table.queue tbody tr[aria-selected="true"] td:first-child';

/** The review queue in a real browser: keyboard, the overdue count and the filters, on one tenant's three verifications. */
describe('the officer console: review queue', () => {
  const bed = consoleTestBed('console_queue', { JOBS_WORKERS: 'false' });
  let officer: TestCaller;
  let potentialId: string;

  beforeAll(async () => {
    officer = await callerOf(['compliance_officer']);
    // Waiting 20 days, its review deadline (submitted + 14 days) passed 6 days ago: overdue.
    const old = await startVerification(bed.app, officer, 'venue-old', { legalName: 'Old Hall LLC' });
    await bed.db.query("UPDATE venue_verifications SET submitted_at = now() - interval '20 days', review_deadline = now() - interval '6 days' WHERE id = $1", [old.id]);
    // An owner the OFAC fixture's entry 28263 (a.k.a. 'snowsjohn') nearly matches: a potential match.
    potentialId = (await startVerification(bed.app, officer, 'venue-potential', { legalName: 'Potential Hall LLC', beneficialOwners: [{ fullName: 'snowsjohn', dateOfBirth: '1975-03-01', ownershipPercent: 40 }] })).id;
    await startVerification(bed.app, officer, 'venue-assessed', { legalName: 'Assessed Hall LLC' });
    expect((await assess(bed.app, officer, 'venue-assessed')).level).toBe('monitor');
  }, 60_000);

  async function filter(page: Page, choices: { sanctions?: string; risk?: string; minAgeDays?: string }): Promise<void> {
    await page.getByLabel('Sanctions').selectOption(choices.sanctions ?? '');
    await page.getByLabel('Risk level').selectOption(choices.risk ?? '');
    await page.getByLabel('Waiting at least (days)').fill(choices.minAgeDays ?? '');
    await page.getByRole('button', { name: 'Filter' }).click();
  }

  it('moves the selection with j and k and opens the selected verification with Enter', async () => {
    const page = await bed.signedIn(officer);
    await expectTexts(page, ROWS, ['Old Hall LLC', 'Potential Hall LLC', 'Assessed Hall LLC']);
    await expectTexts(page, SELECTED, ['Old Hall LLC']);
    await page.keyboard.press('j');
    await expectTexts(page, SELECTED, ['Potential Hall LLC']);
    await page.keyboard.press('j');
    await expectTexts(page, SELECTED, ['Assessed Hall LLC']);
    // The last row stays selected: j does not run off the end.
    await page.keyboard.press('j');
    await expectTexts(page, SELECTED, ['Assessed Hall LLC']);
    await page.keyboard.press('k');
    await expectTexts(page, SELECTED, ['Potential Hall LLC']);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Potential Hall LLC — pending' }).waitFor();
    expect(page.url()).toMatch(new RegExp(`#/verifications/${potentialId}$`));
  }, 60_000);

  it('counts the overdue verification, marks its row, narrows the list by sanctions status, risk level and age, and lets a focused link open its row', async () => {
    const page = await bed.signedIn(officer);
    await expectTexts(page, ROWS, ['Old Hall LLC', 'Potential Hall LLC', 'Assessed Hall LLC']);
    expect(await page.getByTestId('overdue-count').textContent()).toBe('1 overdue');
    const overdueRows = page.locator('table.queue tbody tr.is-overdue');
    await expect(overdueRows.locator('td').allTextContents()).resolves.toEqual(['Old Hall LLC', 'venue-old', 'pending', '20 d (overdue)', 'clear', 'not run', '0/1 approval', expect.any(String)]);

    await filter(page, { sanctions: 'potential_match' });
    await expectTexts(page, ROWS, ['Potential Hall LLC']);
    expect(await page.getByTestId('overdue-count').textContent()).toBe('0 overdue');
    // The list is filtered, and the first row selected again: the keys work at once.
    await expectTexts(page, SELECTED, ['Potential Hall LLC']);

    await filter(page, { risk: 'monitor' });
    await expectTexts(page, ROWS, ['Assessed Hall LLC']);

    await filter(page, { minAgeDays: '7' });
    await expectTexts(page, ROWS, ['Old Hall LLC']);
    expect(await page.getByTestId('overdue-count').textContent()).toBe('1 overdue');

    await filter(page, { sanctions: 'match' });
    await page.getByTestId('overdue-count').getByText('0 overdue').waitFor();
    await expectTexts(page, ROWS, []);

    await filter(page, {});
    await expectTexts(page, ROWS, ['Old Hall LLC', 'Potential Hall LLC', 'Assessed Hall LLC']);
    await expectTexts(page, SELECTED, ['Old Hall LLC']);
    // A link reached with Tab opens what it names, not the selected row.
    await page.getByRole('link', { name: 'Assessed Hall LLC' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Assessed Hall LLC — pending' }).waitFor();
  }, 60_000);
});
