/**
 * Builds a WHERE clause with numbered parameters from optional filters, so repositories never
 * concatenate values into SQL: `filter.where('state = ?', state)` becomes `state = $2`.
 */
export class SqlFilter {
  readonly conditions: string[] = [];
  readonly values: unknown[] = [];

  where(sql: string, ...values: unknown[]): this {
    let text = sql;
    for (const value of values) {
      this.values.push(value);
      text = text.replace('?', `$${this.values.length}`);
    }
    this.conditions.push(text);
    return this;
  }

  /** A parameter placeholder for a value used outside the conditions (LIMIT, ORDER BY keys). */
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  get clause(): string {
    return this.conditions.join(' AND ');
  }
}
