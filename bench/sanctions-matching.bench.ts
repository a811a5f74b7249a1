/**
 * Sanctions matching: quality on a seeded evaluation set built from the real OFAC SDN list, and
 * in-process speed and memory of the index.
 *
 *   node --expose-gc -r ts-node/register/transpile-only bench/sanctions-matching.bench.ts [ofac-dir]
 *
 * Env: SANCTIONS_OFAC_DIR (default ../shared/data/ofac), EVAL_SEED (11), EVAL_POSITIVES (5000),
 * EVAL_NEGATIVES (5000), SPEED_QUERIES (5000); BENCH_QUICK=1 makes the defaults 500. Prints a
 * compact table; never run by npm test. Targets (issue 11): at the alert threshold recall ≥ 0.98 at
 * precision ≥ 0.95; generic-token cases never MATCH.
 */
import { resolve } from 'node:path';
import { OfacSdnParser } from '../src/modules/sanctions/lists/ofac-sdn.parser';
import { SanctionsEvaluationSetGenerator } from '../src/modules/sanctions/evaluation/sanctions-evaluation-set.generator';
import { SanctionsEvaluationRunner } from '../src/modules/sanctions/evaluation/sanctions-evaluation.runner';
import { SanctionsNameIndex } from '../src/modules/sanctions/matching/sanctions-name.index';
import { SanctionsMatcher } from '../src/modules/sanctions/matching/sanctions.matcher';
import { type BenchFigure, quickOr, writeBenchReport } from './bench-report';

const gc = (globalThis as { gc?: () => void }).gc;
const heap = (): number => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const pct = (x: number): string => x.toFixed(4);
const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function main(): Promise<void> {
  const dir = resolve(process.argv[2] ?? process.env.SANCTIONS_OFAC_DIR ?? '../shared/data/ofac');
  const seed = Number(process.env.EVAL_SEED ?? 11);
  const positives = Number(process.env.EVAL_POSITIVES ?? quickOr(5000, 500));
  const negatives = Number(process.env.EVAL_NEGATIVES ?? quickOr(5000, 500));
  const speedQueries = Number(process.env.SPEED_QUERIES ?? quickOr(5000, 500));
  const rows: [string, string][] = [];

  const parser = new OfacSdnParser();
  const files = await parser.readDirectory(dir);
  const heapBefore = heap();
  let t = performance.now();
  const parsed = parser.parse(files);
  const parseMs = performance.now() - t;
  rows.push(['parse (4 files)', `${parseMs.toFixed(0)} ms`]);
  rows.push(['entries / aliases / weak from remarks', `${parsed.counts.entries} / ${parsed.counts.aliases} / ${parsed.counts.weakAliasesFromRemarks}`]);
  const heapParsed = heap();
  t = performance.now();
  const index = SanctionsNameIndex.build(parsed.entries);
  const buildMs = performance.now() - t;
  rows.push(['index build', `${buildMs.toFixed(0)} ms (${index.size} names)`]);
  const heapIndexed = heap();
  rows.push(['heap: entries', gc ? mb(heapParsed - heapBefore) : 'run with --expose-gc']);
  rows.push(['heap: index over them', gc ? mb(heapIndexed - heapParsed) : 'run with --expose-gc']);

  const matcher = new SanctionsMatcher(index);
  const cases = new SanctionsEvaluationSetGenerator(index).generate({ seed, positives, negatives });
  const report = new SanctionsEvaluationRunner().run(matcher, cases);
  const { matchThreshold, potentialMatchThreshold } = matcher.options;
  rows.push(['evaluation cases', `${report.positives} positive, ${report.negatives} negative, seed ${seed}`]);
  rows.push([`alert (score >= ${potentialMatchThreshold}) precision / recall`, `${pct(report.alert.precision)} / ${pct(report.alert.recall)}`]);
  rows.push([`MATCH (score >= ${matchThreshold}) precision / recall`, `${pct(report.match.precision)} / ${pct(report.match.recall)}`]);
  rows.push(['generic-token cases scored MATCH', String(report.genericMatches)]);
  for (const [category, { found, total }] of Object.entries(report.recallByCategory)) {
    rows.push([`  recall ${category}`, `${found}/${total}`]);
  }

  const queries = cases.slice(0, speedQueries).map((c) => ({ name: c.query }));
  for (const q of queries.slice(0, 500)) matcher.screen(q); // warm-up
  const times: number[] = [];
  const started = performance.now();
  for (const q of queries) {
    const q0 = performance.now();
    matcher.screen(q);
    times.push(performance.now() - q0);
  }
  const elapsed = performance.now() - started;
  times.sort((a, b) => a - b);
  rows.push([`per query p50 / p99 (${queries.length} queries)`, `${quantile(times, 0.5).toFixed(3)} / ${quantile(times, 0.99).toFixed(3)} ms`]);
  rows.push(['queries/s, one thread', (queries.length / (elapsed / 1000)).toFixed(0)]);
  t = performance.now();
  matcher.screenBatch(queries.slice(0, 1000));
  const batchMs = performance.now() - t;
  rows.push(['batch of 1,000 names', `${batchMs.toFixed(0)} ms`]);

  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  const weakest = Object.entries(report.recallByCategory).sort(([, a], [, b]) => a.found / a.total - b.found / b.total).slice(0, 3);
  const missed = `lowest recall by category: ${weakest.map(([category, { found, total }]) => `${category} ${found}/${total}`).join(', ')}; ${report.alert.falsePositives} false alerts on ${report.negatives} negatives`;
  const quality = (name: string, value: number, target: number): BenchFigure => ({ name, value: Number(value.toFixed(4)), unit: 'ratio', target: `>= ${target}`, met: value >= target, ...(value >= target ? {} : { note: missed }) });
  const round = (value: number, digits = 3) => Number(value.toFixed(digits));
  writeBenchReport({
    bench: 'sanctions-matching',
    method: `in process, the OFAC SDN snapshot; seeded evaluation set (seed ${seed}, ${report.positives} positive + ${report.negatives} negative cases); speed: ${queries.length} single screenings after 500 warm-up ones, one thread; no baseline (quality and in-process cost)`,
    figures: [
      quality(`alert (score >= ${potentialMatchThreshold}) precision`, report.alert.precision, 0.95),
      quality(`alert (score >= ${potentialMatchThreshold}) recall`, report.alert.recall, 0.98),
      { name: `MATCH (score >= ${matchThreshold}) precision`, value: round(report.match.precision, 4), unit: 'ratio' },
      { name: `MATCH (score >= ${matchThreshold}) recall`, value: round(report.match.recall, 4), unit: 'ratio' },
      { name: 'generic-token cases scored MATCH', value: report.genericMatches, unit: 'cases', target: '0', met: report.genericMatches === 0 },
      { name: 'single screening p50', value: round(quantile(times, 0.5)), unit: 'ms' },
      { name: 'single screening p99', value: round(quantile(times, 0.99)), unit: 'ms' },
      { name: 'screenings per second, one thread', value: Math.round(queries.length / (elapsed / 1000)), unit: 'queries/s' },
      { name: 'batch of 1,000 names', value: Math.round(batchMs), unit: 'ms' },
      { name: 'parse the SDN files', value: Math.round(parseMs), unit: 'ms' },
      { name: 'build the name index', value: Math.round(buildMs), unit: 'ms' },
      ...(gc ? [{ name: 'heap: entries + index', value: round((heapIndexed - heapBefore) / 1024 / 1024, 1), unit: 'MB' }] : []),
    ],
  });
  if (process.env.SHOW_FAILURES) {
    for (const f of report.failures.slice(0, Number(process.env.SHOW_FAILURES))) {
      console.log(f.case.expected, f.case.category, JSON.stringify(f.case.query), f.case.sourceId ?? '', f.outcome, JSON.stringify(f.top));
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
