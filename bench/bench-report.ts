/**
 * The contract between bench/run-all.ts and every bench script: when BENCH_JSON=<path> is set, a
 * script writes its figures there as one BenchReport (and still prints its own human output);
 * when it is unset, writeBenchReport does nothing, so `npm run bench:<name>` behaves as before.
 * run-all.ts reads the file back with readBenchReport, which checks the shape, so a script that
 * writes something else fails loudly instead of producing an empty row.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  /** The same quantity for the baseline, measured in the same run. */
  baseline?: number;
  /** value ÷ baseline (or the median of per-round ratios, which the script states in `method`). */
  ratio?: number;
  /** As people read it: ">= 0.70", "<= 1.5 s". */
  target?: string;
  met?: boolean;
  /** Why a target was missed, or what the figure leaves out. */
  note?: string;
}

export interface BenchReport {
  bench: string;
  method: string;
  figures: BenchFigure[];
}

export function writeBenchReport(report: BenchReport, path = process.env.BENCH_JSON): void {
  if (path === undefined || path === '') return;
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

/** True when BENCH_QUICK=1: every script shortens its rounds and durations (a smoke run, not figures). */
export const BENCH_QUICK = process.env.BENCH_QUICK === '1';

/** `full` normally, `quick` under BENCH_QUICK=1 — for rounds, seconds and sample counts. */
export function quickOr(full: number, quick: number): number {
  return BENCH_QUICK ? quick : full;
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function figureProblems(figure: unknown, at: string): string[] {
  if (typeof figure !== 'object' || figure === null) return [`${at} is not an object`];
  const entry = figure as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof entry.name !== 'string') problems.push(`${at}.name is not a string`);
  if (!isNumber(entry.value)) problems.push(`${at}.value is not a finite number`);
  if (typeof entry.unit !== 'string') problems.push(`${at}.unit is not a string`);
  for (const key of ['baseline', 'ratio'] as const) if (entry[key] !== undefined && !isNumber(entry[key])) problems.push(`${at}.${key} is not a finite number`);
  for (const key of ['target', 'note'] as const) if (entry[key] !== undefined && typeof entry[key] !== 'string') problems.push(`${at}.${key} is not a string`);
  if (entry.met !== undefined && typeof entry.met !== 'boolean') problems.push(`${at}.met is not a boolean`);
  return problems;
}

/** Parses and checks a report written by writeBenchReport; throws listing every problem. */
export function parseBenchReport(text: string, source: string): BenchReport {
  const parsed = JSON.parse(text) as unknown;
  const report = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof report.bench !== 'string') problems.push('bench is not a string');
  if (typeof report.method !== 'string') problems.push('method is not a string');
  if (!Array.isArray(report.figures)) problems.push('figures is not an array');
  else report.figures.forEach((figure, index) => problems.push(...figureProblems(figure, `figures[${index}]`)));
  if (problems.length > 0) throw new Error(`${source}: not a bench report: ${problems.join('; ')}`);
  return parsed as BenchReport;
}

export function readBenchReport(path: string): BenchReport {
  return parseBenchReport(readFileSync(path, 'utf8'), path);
}
