import type { SanctionsMatcher } from '../matching/sanctions.matcher';
import type { EvaluationCase } from './sanctions-evaluation-set.generator';

export interface EvaluationFailure {
  case: EvaluationCase;
  outcome: string;
  top?: { sourceId: string; name: string; score: number };
}

export interface EvaluationReport {
  positives: number;
  negatives: number;
  /** Alerting = POTENTIAL_MATCH or MATCH on the expected entry (positives) / on anything (negatives). */
  alert: { recall: number; precision: number; truePositives: number; falsePositives: number; falseNegatives: number };
  /** The same with only MATCH counted. */
  match: { recall: number; precision: number; truePositives: number; falsePositives: number };
  /** Generic-token cases that came out MATCH: must be 0. */
  genericMatches: number;
  recallByCategory: Record<string, { found: number; total: number }>;
  failures: EvaluationFailure[];
}

/**
 * Scores an evaluation set. A positive counts only when its own entry is hit (a hit on another
 * entry is both a miss and a false alert); a negative counts against precision when anything hits.
 */
export class SanctionsEvaluationRunner {
  run(matcher: SanctionsMatcher, cases: readonly EvaluationCase[]): EvaluationReport {
    let tp = 0, fp = 0, fn = 0, matchTp = 0, matchFp = 0, positives = 0, negatives = 0, genericMatches = 0;
    const byCategory: Record<string, { found: number; total: number }> = {};
    const failures: EvaluationFailure[] = [];
    for (const c of cases) {
      const result = matcher.screen({ name: c.query });
      const top = result.matches[0];
      const topInfo = top ? { sourceId: top.entry.sourceId, name: top.matchedName, score: top.score } : undefined;
      if (c.expected === 'generic') {
        if (result.outcome === 'MATCH') {
          genericMatches++;
          failures.push({ case: c, outcome: result.outcome, top: topInfo });
        }
        continue;
      }
      if (c.expected === 'positive') {
        positives++;
        const own = result.matches.find((m) => m.entry.sourceId === c.sourceId);
        const stats = (byCategory[c.category] ??= { found: 0, total: 0 });
        stats.total++;
        if (own) {
          tp++;
          stats.found++;
          if (own.outcome === 'MATCH') matchTp++;
        } else {
          fn++;
          failures.push({ case: c, outcome: result.outcome, top: topInfo });
          if (result.matches.length > 0) fp++;
        }
        continue;
      }
      negatives++;
      if (result.matches.length > 0) {
        fp++;
        if (result.outcome === 'MATCH') matchFp++;
        failures.push({ case: c, outcome: result.outcome, top: topInfo });
      }
    }
    const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);
    return {
      positives,
      negatives,
      alert: { recall: ratio(tp, positives), precision: ratio(tp, tp + fp), truePositives: tp, falsePositives: fp, falseNegatives: fn },
      match: { recall: ratio(matchTp, positives), precision: ratio(matchTp, matchTp + matchFp), truePositives: matchTp, falsePositives: matchFp },
      genericMatches,
      recallByCategory: byCategory,
      failures,
    };
  }
}
