import type { SmokeCheckResult } from './smoke-check';

const HEADER = ['check', 'result', 'latency'] as const;

/** The smoke table: one row per check, its result (PASS/FAIL and what it saw) and its slowest call. */
export function smokeTable(results: SmokeCheckResult[]): string {
  const rows = results.map((result) => [
    result.name,
    `${result.passed ? 'PASS' : 'FAIL'}  ${result.detail}`,
    result.latencyMs === undefined ? '-' : `${Math.round(result.latencyMs)} ms`,
  ]);
  const widths = HEADER.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] as number))).join('  ');
  return [line(HEADER), ...rows.map(line)].join('\n');
}

/** The last line: the failed checks by name, or that all passed. */
export function smokeVerdict(results: SmokeCheckResult[], baseUrl: string): string {
  const failed = results.filter((result) => !result.passed).map((result) => result.name);
  return failed.length === 0
    ? `smoke: all ${results.length} checks passed against ${baseUrl}`
    : `smoke: FAILED ${failed.length} of ${results.length} checks against ${baseUrl}: ${failed.join(', ')}`;
}
