import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { minorToDecimal, toCsv } from './csv';

describe('CSV export', () => {
  it('quotes fields with commas, quotes and line breaks, and ends lines with CRLF', () => {
    expect(toCsv(['name', 'n'], [['Hall, "The" Big\nOne', 3], [null, true]])).toBe('name,n\r\n"Hall, ""The"" Big\nOne",3\r\n,true\r\n');
  });

  it('keeps text that starts like a formula from running as one', () => {
    expect(toCsv(['name'], [['=HYPERLINK("http://x")'], ['+1'], ['-2'], ['@SUM(A1)']])).toBe('name\r\n"\'=HYPERLINK(""http://x"")"\r\n\'+1\r\n\'-2\r\n\'@SUM(A1)\r\n');
    expect(toCsv(['amount'], [[-5]])).toBe('amount\r\n-5\r\n');
  });

  it('round-trips any text that does not start like a formula through a standard CSV parser', () => {
    const text = fc.string({ unit: 'binary' }).filter((value) => !/^[=+\-@\t\r]/.test(value));
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 5 }), (rows) => {
        expect(parse(toCsv(['a', 'b'], rows), { relaxQuotes: false }).slice(1)).toEqual(rows);
      }),
    );
  });

  it('writes minor units as decimal dollars exactly', () => {
    expect(minorToDecimal(2_000_001)).toBe('20000.01');
    expect(minorToDecimal(5)).toBe('0.05');
    expect(minorToDecimal(-1_050)).toBe('-10.50');
  });
});
