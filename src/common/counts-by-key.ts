/** A `GROUP BY key` row of a count query. */
export interface KeyCount<K extends string> {
  key: K;
  count: number;
}

/** Counts per key with every key present, 0 for a key no row has: a summary shows each state or level. */
export function countsByKey<K extends string>(keys: readonly K[], rows: ReadonlyArray<KeyCount<K>>): Record<K, number> {
  const counts = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const row of rows) counts[row.key] = row.count;
  return counts;
}
