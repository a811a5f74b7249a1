import { parse } from 'csv-parse/sync';
import { SanctionsListFormatError } from './sanctions-list-format.error';

export interface CsvRow {
  /** 1-based line where the record starts, for error messages. */
  line: number;
  fields: string[];
}

/**
 * Reads one delimited list file into rows of a fixed width, or throws SanctionsListFormatError
 * naming the file and line. csv-parse does the quoting (OFAC quotes names with embedded commas:
 * "ANGLO-CARIBBEAN CO., LTD."); we check the width ourselves so the error carries our reason.
 */
export class CsvTableReader {
  read(file: string, text: string, expectedColumns: number, options: { header?: boolean } = {}): CsvRow[] {
    // OFAC's legacy CSVs end with a DOS end-of-file byte (0x1A) on a line of its own.
    const body = text.replace(/\x1a\s*$/, '');
    let records: { record: string[]; info: { lines: number } }[];
    try {
      records = parse(body, {
        relax_column_count: true,
        info: true,
        skip_empty_lines: true,
        relax_quotes: false,
      }) as unknown as { record: string[]; info: { lines: number } }[];
    } catch (error: unknown) {
      const line = typeof (error as { lines?: unknown }).lines === 'number' ? (error as { lines: number }).lines : 0;
      throw new SanctionsListFormatError(file, line, `unparseable CSV: ${(error as Error).message}`);
    }
    const rows: CsvRow[] = [];
    const start = options.header ? 1 : 0;
    for (let i = start; i < records.length; i++) {
      const { record, info } = records[i]!;
      if (record.length !== expectedColumns) {
        throw new SanctionsListFormatError(file, info.lines, `expected ${expectedColumns} columns, found ${record.length}`);
      }
      rows.push({ line: info.lines, fields: record });
    }
    return rows;
  }

  /** OFAC writes `-0-` (often with a trailing space) for an empty field. */
  static value(field: string | undefined): string {
    const trimmed = (field ?? '').trim();
    return trimmed === '-0-' ? '' : trimmed;
  }
}
