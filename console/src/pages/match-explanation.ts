import { type Child, h, table } from '../dom';

/** The matcher's explanation of one hit, as screenings and alerts both return it. */
export interface MatchExplanation {
  tokens: ReadonlyArray<{ query: string; matched: string | null; similarity: number; weight: number }>;
  unmatchedListTokens: readonly string[];
  nameScore: number;
  adjustments: ReadonlyArray<{ reason: string; delta: number }>;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;
}

/** The matcher's reasoning: each query token with the list token it matched, then the adjustments. */
export function matchExplanation({ tokens, unmatchedListTokens, nameScore, adjustments }: MatchExplanation, finalScore: number): Child[] {
  return [
    table(['Query token', 'Matched list token', 'Similarity', 'Weight'],
      tokens.map((token) => [token.query, token.matched ?? '— (no match)', token.similarity.toFixed(2), token.weight.toFixed(2)]),
      `Token by token (name score ${nameScore.toFixed(2)})`),
    h('p', {}, `List tokens not matched: ${unmatchedListTokens.length === 0 ? 'none' : unmatchedListTokens.join(', ')}`),
    adjustments.length === 0
      ? h('p', {}, 'No adjustments to the name score.')
      : table(['Adjustment', 'Change'], adjustments.map((adjustment) => [adjustment.reason, signed(adjustment.delta)]), `Adjustments (final score ${finalScore.toFixed(2)})`),
  ];
}
