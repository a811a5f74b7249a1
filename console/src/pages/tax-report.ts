import { api, ok } from '../api';
import { field, h, money, select, showPage, table } from '../dom';
import { act } from '../status';

/** The API takes tax years 2000–2100; the console offers the current one and the six before it. */
const YEARS_SHOWN = 7;

function loadReport(year: number) {
  return ok(api.GET('/api/v1/tax/reports/{year}', { params: { path: { year } } }));
}

/**
 * The same route with `Accept: text/csv` answers the report as an RFC 4180 attachment
 * (`text/csv; charset=utf-8; header=present`), fetched with the caller's credentials and saved
 * from a blob: URL, so the download needs no token in its address.
 */
async function downloadCsv(year: number, target: HTMLElement): Promise<void> {
  const blob = await ok(api.GET('/api/v1/tax/reports/{year}', { params: { path: { year } }, headers: { accept: 'text/csv' }, parseAs: 'blob' }));
  const previous = target.querySelector('a');
  if (previous !== null) URL.revokeObjectURL(previous.href);
  const name = `1099-k-${year}.csv`;
  const link = h('a', { href: URL.createObjectURL(blob), download: name, 'data-testid': 'csv-link' }, `Save ${name}`);
  target.replaceChildren(link);
  link.click();
}

/** Venues that need a Form 1099-K for a year, as a table and as CSV. */
export async function taxReportPage(): Promise<void> {
  const current = new Date().getUTCFullYear();
  const years = Array.from({ length: YEARS_SHOWN }, (_, back): [string, string] => [String(current - back), String(current - back)]);
  const year = select('year', years, String(current));
  const result = h('div', { class: 'report' });
  const saved = h('p', { class: 'download' });
  const download = h('button', { type: 'button' }, 'Download CSV');
  download.addEventListener('click', () => void act(download, 'Preparing the CSV…', () => downloadCsv(Number(year.value), saved)));

  const show = async (): Promise<void> => {
    const report = await act(null, 'Loading the report…', () => loadReport(Number(year.value)));
    if (report === undefined) return;
    result.replaceChildren(report.items.length === 0
      ? h('p', {}, `No venue requires a Form 1099-K for ${report.taxYear}.`)
      : table(['Venue', 'Legal name', 'Gross', 'Transactions', 'Refunds and chargebacks', 'Thresholds met', 'Form'], report.items.map((item) => [
        item.venueId,
        item.legalName ?? '—',
        money(item.grossMinor),
        item.transactions,
        money(item.reversedMinor),
        item.jurisdictions.join(', '),
        item.formId ?? 'Not generated',
      ]), `Venues requiring a Form 1099-K for ${report.taxYear} (${report.currency})`));
  };
  year.addEventListener('change', () => void show());
  showPage('Tax', h('div', { class: 'filters' }, field('Tax year', year), download), saved, result);
  await show();
}
