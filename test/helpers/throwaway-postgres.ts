import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port';

/** The system PostgreSQL's binaries (Debian: /usr/lib/postgresql/<major>/bin), newest major first. */
function systemPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  const major = readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a))[0];
  if (major === undefined) throw new Error(`No PostgreSQL binaries under ${root}`);
  return join(root, major, 'bin');
}

/** The OS account the cluster runs as when we are root (PostgreSQL refuses root). */
function runAs(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * A PostgreSQL cluster of a test's own (initdb + postgres from the system binaries, in a temp
 * folder, on a free port, trust authentication), for what the shared server cannot show: TLS
 * settings, a server that stops. `settings` become `-c name=value`.
 */
export class ThrowawayPostgres {
  private constructor(
    readonly port: number,
    readonly folder: string,
    private readonly child: ChildProcess,
  ) {}

  url(host = '127.0.0.1', database = 'postgres'): string {
    return `postgres://postgres@${host}:${this.port}/${database}`;
  }

  /** `prepare(folder)` runs before initdb (e.g. writes certificates there) and returns more settings. */
  static async start(settings: Record<string, string> = {}, prepare?: (folder: string) => Record<string, string>): Promise<ThrowawayPostgres> {
    const folder = mkdtempSync(join(tmpdir(), 'compliance-throwaway-pg-'));
    const user = runAs();
    const prepared = prepare?.(folder) ?? {};
    if ('uid' in user) {
      for (const entry of ['', ...readdirSync(folder)]) chownSync(join(folder, entry), user.uid, user.gid);
    }
    chmodSync(folder, 0o700);
    const bin = systemPostgresBin();
    const dataDir = join(folder, 'data');
    execFileSync(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '--locale=C', '-E', 'UTF8'], { ...user, stdio: 'pipe' });
    const port = await freePort();
    const args = ['-D', dataDir, '-p', String(port), '-k', folder, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'];
    for (const [name, value] of Object.entries({ ...settings, ...prepared })) args.push('-c', `${name}=${value}`);
    const child = spawn(join(bin, 'postgres'), args, { ...user, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if (log.includes('ready to accept connections')) return new ThrowawayPostgres(port, folder, child);
      if (child.exitCode !== null) break;
      await sleep(50);
    }
    child.kill('SIGKILL');
    throw new Error(`Throwaway PostgreSQL did not start:\n${log}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((done) => this.child.once('exit', done));
      this.child.kill('SIGINT');
      await exited;
    }
    rmSync(this.folder, { recursive: true, force: true });
  }
}
