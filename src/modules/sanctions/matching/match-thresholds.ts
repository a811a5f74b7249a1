/**
 * Default thresholds (SANCTIONS_MATCH_THRESHOLDS overrides them), chosen on the seeded evaluation
 * over the full OFAC SDN list (bench/sanctions-matching.bench.ts, seed 11):
 * - 0.75 for POTENTIAL_MATCH (an alert): at 0.72 precision was 0.960 on 3,000+3,000 cases; at 0.75
 *   precision is 0.980 at recall 0.983 (5,000+5,000 cases); above 0.76 recall of typo'd and partial
 *   names falls away faster than false alerts do. yente's default 0.70 sits just below, on a
 *   different score.
 * - 0.85 for MATCH: near-exact names of informative tokens (MATCH precision 0.9998, recall 0.888 on the same set);
 *   a MATCH never comes from a weak alias, a single token or common tokens alone (SanctionsMatcher caps those just below the match threshold).
 */
export const DEFAULT_MATCH_THRESHOLDS: { readonly matchThreshold: number; readonly potentialMatchThreshold: number } = {
  matchThreshold: 0.85,
  potentialMatchThreshold: 0.75,
};
