/**
 * Base of the errors domain code throws. Services know rules, not HTTP: the status here is the
 * suggestion the problem-details filter uses, and `code` is the stable identifier clients match on.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  readonly title?: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
