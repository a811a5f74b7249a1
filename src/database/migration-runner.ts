import { DataSource, MigrationExecutor, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source.options';
import type { LogSink } from '../common/log-sink';
import { recordMigrationSql } from './migration-sql-recorder';
import { beyondSeed, DataLossRefusedError, tablesDestroyedByDown, tablesHoldingRows } from './destructive-down-guard';
import { LostMigrationLockError, type MigrationLockSession } from './migration-lock-session';

/**
 * Key of the session-level advisory lock that serialises migration runs across pods
 * (TypeORM takes none: typeorm/typeorm#4588). Any constant works as long as it never changes.
 */
export const MIGRATION_LOCK_KEY = 7_441_202_611n;
const LOCK_POLL_INTERVAL_MS = 250;


export interface MigrationStatusEntry {
  name: string;
  applied: boolean;
}

export interface RevertOptions {
  /** Revert even when a `down` drops or truncates tables holding rows. */
  allowDataLoss?: boolean;
}

/**
 * Where the advisory lock lives. By default a dedicated connection of the DataSource; a test can
 * put a pooler-like session here.
 */
export type LockSessionFactory = (dataSource: DataSource) => MigrationLockSession;

/** Gives `work` a runner on its own migration-session DataSource (lock and statement timeouts), then closes it. */
export async function withMigrationRunner<T>(config: DatabaseConfig, url: string, log: LogSink, work: (runner: MigrationRunner) => Promise<T>): Promise<T> {
  const dataSource = new DataSource(buildDataSourceOptions(config, url, { role: 'migration', log }));
  await dataSource.initialize();
  try {
    return await work(new MigrationRunner(dataSource, log, config.migrations.lockWaitTimeoutMs));
  } finally {
    await dataSource.destroy();
  }
}

/** Runs, reverts and inspects migrations under one advisory lock, logging each step with its duration. */
export class MigrationRunner {
  private readonly progress = { done: 0, total: 0 };
  private timed = false;

  /** Backend pid of the session holding the migration lock, while it is held. */
  private lockHolder: { session: MigrationLockSession; pid: number } | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: LogSink,
    private readonly lockWaitTimeoutMs: number,
    private readonly openLockSession: LockSessionFactory = (source) => source.createQueryRunner(),
  ) {}

  /** Applies every pending migration. Safe to call from many pods at once: one migrates, the rest wait. */
  async run(): Promise<string[]> {
    return this.withLock(async () => {
      const executor = new MigrationExecutor(this.dataSource);
      const pending = await executor.getPendingMigrations();
      if (pending.length === 0) {
        this.log.log('No pending migrations');
        return [];
      }
      this.log.log(`${pending.length} pending migration(s): ${pending.map((migration) => migration.name).join(', ')}`);
      this.startProgress(pending.length);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      return applied.map((migration) => migration.name);
    });
  }

  /** Every known migration in order, with whether it is applied. Read-only. */
  async status(): Promise<MigrationStatusEntry[]> {
    const applied = await this.appliedNames();
    return this.sortedMigrations().map((migration) => ({ name: nameOf(migration), applied: applied.has(nameOf(migration)) }));
  }

  /** The SQL each pending migration would run, captured without executing it. Read-only. */
  async dryRun(): Promise<Array<{ name: string; transaction: boolean; sql: string[] }>> {
    const applied = await this.appliedNames();
    const result = [];
    for (const migration of this.sortedMigrations().filter((instance) => !applied.has(nameOf(instance)))) {
      result.push({ name: nameOf(migration), transaction: migration.transaction !== false, sql: await recordMigrationSql(migration, 'up') });
    }
    return result;
  }

  /** Reverts the last `steps` applied migrations, newest first. */
  async revert(steps: number, options: RevertOptions = {}): Promise<string[]> {
    return this.withLock(async () => {
      await this.refuseDataLoss((await this.appliedNewestFirst()).slice(0, steps), options);
      const reverted: string[] = [];
      this.startProgress(steps);
      for (let step = 0; step < steps; step += 1) {
        const name = await this.revertLast();
        if (name === undefined) break;
        reverted.push(name);
      }
      return reverted;
    });
  }

  /** Reverts until `target` is the last applied migration. */
  async revertTo(target: string, options: RevertOptions = {}): Promise<string[]> {
    return this.withLock(async () => {
      const applied = await this.appliedNewestFirst();
      const index = applied.findIndex((migration) => nameOf(migration) === target);
      if (index < 0) {
        throw new Error(`Cannot roll back to ${target}: it is not an applied migration. Applied: ${applied.map(nameOf).join(', ') || 'none'}`);
      }
      await this.refuseDataLoss(applied.slice(0, index), options);
      const reverted: string[] = [];
      this.startProgress(index);
      for (let step = 0; step < index; step += 1) {
        const name = await this.revertLast();
        if (name !== undefined) reverted.push(name);
      }
      return reverted;
    });
  }

  /**
   * Checked for every migration about to be reverted, before the first one is: a `down` that drops
   * a table holding rows (the audit log, which compliance must keep) destroys them for good.
   */
  private async refuseDataLoss(migrations: MigrationInterface[], { allowDataLoss = false }: RevertOptions): Promise<void> {
    const losses = [];
    for (const migration of migrations) {
      const holding = await tablesHoldingRows((sql, parameters) => this.dataSource.query(sql, parameters), await tablesDestroyedByDown(migration));
      const tables = beyondSeed(migrations, holding);
      if (tables.length > 0) losses.push({ migration: nameOf(migration), tables });
    }
    if (losses.length === 0) return;
    const refusal = new DataLossRefusedError(losses);
    if (!allowDataLoss) throw refusal;
    this.log.warn(`--allow-data-loss: reverting although rows will be lost. ${refusal.message.split('\n').slice(1, -1).join(';')}`);
  }

  private async revertLast(): Promise<string | undefined> {
    const [last] = await this.appliedNewestFirst();
    if (last === undefined) {
      this.log.log('No applied migrations; nothing to revert');
      return undefined;
    }
    const executor = new MigrationExecutor(this.dataSource);
    // TypeORM's undo ignores a migration's `transaction = false` (CREATE INDEX CONCURRENTLY
    // cannot run in a transaction), so the mode is chosen per migration here.
    executor.transaction = last.transaction === false ? 'none' : 'each';
    await executor.undoLastMigration();
    return nameOf(last);
  }

  /**
   * Names recorded in the migrations table. Unlike TypeORM's executor this never creates the
   * table, so status and dry runs leave a fresh database untouched.
   */
  private async appliedNames(): Promise<Set<string>> {
    const table = this.dataSource.options.migrationsTableName ?? 'migrations';
    const [{ exists }] = (await this.dataSource.query('SELECT to_regclass($1) IS NOT NULL AS exists', [table])) as Array<{ exists: boolean }>;
    if (!exists) return new Set();
    const rows = (await this.dataSource.query(`SELECT name FROM "${table}"`)) as Array<{ name: string }>;
    return new Set(rows.map((row) => row.name));
  }

  private async appliedNewestFirst(): Promise<MigrationInterface[]> {
    const executed = await this.appliedNames();
    return this.sortedMigrations()
      .filter((instance) => executed.has(nameOf(instance)))
      .reverse();
  }

  private sortedMigrations(): MigrationInterface[] {
    return [...this.dataSource.migrations].sort((a, b) => timestampOf(a) - timestampOf(b));
  }

  /** Starts a progress count; up/down of every migration are wrapped once to log each step. */
  private startProgress(total: number): void {
    this.progress.done = 0;
    this.progress.total = total;
    if (this.timed) return;
    this.timed = true;
    for (const migration of this.dataSource.migrations) {
      for (const step of ['up', 'down'] as const) {
        const original = migration[step].bind(migration);
        migration[step] = async (queryRunner: QueryRunner) => {
          await this.assertLockHeld();
          const startedAt = performance.now();
          await original(queryRunner);
          this.progress.done += 1;
          const verb = step === 'up' ? 'Applied' : 'Reverted';
          this.log.log(`${verb} ${nameOf(migration)} in ${Math.round(performance.now() - startedAt)} ms (${this.progress.done}/${this.progress.total})`);
        };
      }
    }
  }

  /**
   * Waiting pods poll pg_try_advisory_lock instead of blocking in pg_advisory_lock: a session
   * blocked in a statement holds a snapshot, and CREATE INDEX CONCURRENTLY in the migrating pod
   * waits for every such snapshot to end, which would deadlock the two.
   */
  private async withLock<T>(work: () => Promise<T>): Promise<T> {
    const session = this.openLockSession(this.dataSource);
    const key = MIGRATION_LOCK_KEY.toString();
    try {
      const startedAt = performance.now();
      let announced = false;
      let pid: number | undefined;
      while ((pid = await this.tryLock(session, key)) === undefined) {
        const waited = performance.now() - startedAt;
        if (waited > this.lockWaitTimeoutMs) {
          throw new Error(`Gave up waiting for the migration lock after ${Math.round(waited / 1000)} s; another instance is still migrating`);
        }
        if (!announced) {
          this.log.log(`Another instance is migrating; waiting up to ${Math.round(this.lockWaitTimeoutMs / 1000)} s for the migration lock`);
          announced = true;
        }
        await new Promise((done) => setTimeout(done, LOCK_POLL_INTERVAL_MS));
      }
      if (announced) this.log.log(`Got the migration lock after ${Math.round(performance.now() - startedAt)} ms`);
      this.lockHolder = { session, pid };
      try {
        const result = await work();
        await this.assertLockHeld();
        return result;
      } finally {
        this.lockHolder = undefined;
        await session.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    } finally {
      await session.release();
    }
  }

  /** The backend pid holding the lock, or undefined while another session holds it. */
  private async tryLock(session: MigrationLockSession, key: string): Promise<number | undefined> {
    const [{ locked, pid }] = (await session.query('SELECT pg_try_advisory_lock($1) AS locked, pg_backend_pid() AS pid', [key])) as Array<{ locked: boolean; pid: number }>;
    return locked ? pid : undefined;
  }

  /**
   * A session-level advisory lock is held by one server session (backend). Behind a transaction
   * pooler the next statement may run in another backend, which does not hold the lock (and the
   * lock may be released for good when the pooler resets the first one). Checked before every
   * migration step and before unlocking.
   */
  private async assertLockHeld(): Promise<void> {
    const holder = this.lockHolder;
    if (holder === undefined) return;
    const [{ pid }] = (await holder.session.query('SELECT pg_backend_pid() AS pid')) as Array<{ pid: number }>;
    if (pid !== holder.pid) throw new LostMigrationLockError(holder.pid, pid);
  }
}

/** TypeORM names a migration by its class name (or `name`), ending in a 13-digit timestamp. */
function nameOf(migration: MigrationInterface): string {
  return migration.name ?? migration.constructor.name;
}

function timestampOf(migration: MigrationInterface): number {
  return Number(nameOf(migration).slice(-13));
}
