/**
 * Renders docs/PERFORMANCE.md from what bench/run-all.ts collected: the machine, the command, the
 * date, one table of every figure, every missed target with the reason its bench gives, the benches
 * that produced no figures (and why), and each bench's method.
 */
import type { BenchFigure, BenchReport } from './bench-report';

export interface Machine {
  cpus: number;
  model: string;
  memoryGiB: number;
  node: string;
  nproc: string;
  os: string;
  loadAverage: string;
}

export interface BenchRun {
  /** The script's file name in bench/. */
  script: string;
  exitCode: number | null;
  seconds: number;
  report?: BenchReport;
  /** Why there are no figures (or why the script failed after writing some). */
  problem?: string;
}

export interface PerformanceDocument {
  machine: Machine;
  command: string;
  startedAt: Date;
  quick: boolean;
  runs: BenchRun[];
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** At most three decimals: benches may write raw floats (0.5686405895566577). */
const number = (value: number) => String(Number(value.toFixed(3)));
const amount = (value: number | undefined, unit: string) => (value === undefined ? '' : `${number(value)} ${unit}`.trim());

function met(figure: BenchFigure): string {
  if (figure.met === undefined) return '';
  return figure.met ? 'yes' : '**no**';
}

function figureRows(runs: BenchRun[]): string[] {
  return runs.flatMap((run) =>
    (run.report?.figures ?? []).map((figure) =>
      `| ${cell(run.report?.bench ?? run.script)} | ${cell(figure.name)} | ${amount(figure.value, figure.unit)} | ${amount(figure.baseline, figure.unit)} | ${figure.ratio === undefined ? '' : number(figure.ratio)} | ${cell(figure.target ?? '')} | ${met(figure)} | ${cell(figure.note ?? '')} |`,
    ),
  );
}

function missedTargets(runs: BenchRun[]): string[] {
  const missed = runs.flatMap((run) => (run.report?.figures ?? []).filter((figure) => figure.met === false).map((figure) => ({ bench: run.report?.bench ?? run.script, figure })));
  if (missed.length === 0) return ['Every figure with a target met it.'];
  return missed.map(({ bench, figure }) => {
    const ratio = figure.ratio === undefined ? '' : ` (ratio ${number(figure.ratio)} to ${amount(figure.baseline, figure.unit)})`;
    return `- **${bench}: ${figure.name}**: ${amount(figure.value, figure.unit)}${ratio}, target ${figure.target ?? '?'}. ${figure.note === undefined ? 'The bench gives no reason.' : `Why: ${figure.note}`}`;
  });
}

function failures(runs: BenchRun[]): string[] {
  const failed = runs.filter((run) => run.problem !== undefined);
  if (failed.length === 0) return ['None: every bench ran and wrote its figures.'];
  return failed.map((run) => `- **${run.script}** (exit ${run.exitCode ?? 'killed'}, ${run.seconds} s): ${run.problem}`);
}

export function renderPerformance(document: PerformanceDocument): string {
  const { machine, runs } = document;
  const quickBanner = document.quick
    ? ['> **Quick smoke run (`BENCH_QUICK=1`), not figures.** Every bench ran with shortened rounds and durations to prove the pipeline; run `npm run bench` on a quiet machine for figures.', '']
    : [];
  return [
    '# Performance',
    '',
    ...quickBanner,
    `Written by \`bench/run-all.ts\` on ${document.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC; regenerate with \`npm run bench\` (README "Scripts").`,
    'Every bench runs as its own process, one after the other, and compares its candidate with a baseline measured in the same run',
    '(warm-up, interleaved rounds, medians): compare ratios, never absolute figures across runs or machines.',
    '',
    `Command: \`${document.command}\``,
    '',
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    `| CPUs (\`os.cpus()\`) | ${machine.cpus} × ${cell(machine.model)} |`,
    `| \`nproc\` | ${machine.nproc} |`,
    `| memory | ${machine.memoryGiB} GiB |`,
    `| Node.js | ${machine.node} |`,
    `| OS | ${cell(machine.os)} |`,
    `| load average at the start (1, 5, 15 min) | ${machine.loadAverage} |`,
    '',
    '## Figures',
    '',
    '| bench | figure | value | baseline | ratio | target | met? | note |',
    '|---|---|---|---|---|---|---|---|',
    ...figureRows(runs),
    '',
    '## Missed targets',
    '',
    ...missedTargets(runs),
    '',
    '## Benches without figures',
    '',
    ...failures(runs),
    '',
    '## Method',
    '',
    ...runs.map((run) => `- **${run.report?.bench ?? run.script}** (\`bench/${run.script}\`, ${run.seconds} s): ${cell(run.report?.method ?? 'no report')}`),
    '',
  ].join('\n');
}
