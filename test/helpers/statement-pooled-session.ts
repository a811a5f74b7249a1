import { Client } from 'pg';
import type { MigrationLockSession } from '../../src/database/migration-lock-session';

/**
 * What a transaction pooler (PgBouncer in transaction mode) does to a session: every statement
 * runs on whichever server connection is free, here a new one each time, against real PostgreSQL.
 */
export class StatementPooledSession implements MigrationLockSession {
  constructor(private readonly url: string) {}

  async query(sql: string, parameters?: unknown[]): Promise<unknown> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    try {
      return (await client.query(sql, parameters)).rows;
    } finally {
      await client.end();
    }
  }

  async release(): Promise<void> {}
}
