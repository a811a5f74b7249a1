/** The connection holding the migration lock: TypeORM's QueryRunner satisfies it. */
export interface MigrationLockSession {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
  release(): Promise<void>;
}

/** The migration lock's server session changed between two statements: the lock protects nothing. */
export class LostMigrationLockError extends Error {
  constructor(readonly lockedBy: number, readonly nowOn: number) {
    super(
      `Lost the migration lock: it was taken by server session ${lockedBy}, but the same connection now runs on session ${nowOn}. ` +
        'The database URL goes through a transaction pooler (PgBouncer in transaction mode, RDS Proxy), which hands each statement ' +
        'to any free server session, so the advisory lock no longer serialises migration runs. Set MIGRATION_DATABASE_URL to a ' +
        'session-level connection (the database itself, or a session-mode pool) and run again.',
    );
    this.name = 'LostMigrationLockError';
  }
}
