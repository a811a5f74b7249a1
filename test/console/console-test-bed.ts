import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';
import type { Page } from 'playwright-core';
import { ROOT } from '../helpers/cli';
import { ConsoleBrowser } from '../helpers/console-browser';
import { importWithCli, OFAC_FIXTURE, sanctionsDatabase } from '../helpers/sanctions-lists';
import { superuserClient } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';
import type { TestCaller } from '../helpers/tokens';

/** Written by every run (git-ignored); the README's copies in docs/console/ are refreshed from here by hand. */
export const SCREENSHOTS = join(ROOT, '.tmp', 'console-screenshots');

export interface ConsoleTestBed {
  readonly app: NestFastifyApplication;
  readonly databaseUrl: string;
  /** The tests' superuser, outside row-level security: for what the API cannot do, such as moving a deadline into the past. */
  readonly db: Client;
  readonly base: string;
  readonly browser: ConsoleBrowser;
  /** A fresh browser context signed in as the caller, on the caller's home page. */
  signedIn(caller: TestCaller): Promise<Page>;
}

/**
 * The world of one console suite, set up and torn down by the suite's own hooks: a migrated
 * database of its own with the OFAC fixture imported (screenings find real hits), the real app
 * listening on a port, and a headless browser whose script errors fail the test that caused them.
 */
export function consoleTestBed(purpose: string, env: Record<string, string> = {}): ConsoleTestBed {
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let app: NestFastifyApplication | undefined;
  let db: Client | undefined;
  let base: string | undefined;
  const browser = new ConsoleBrowser(() => started(base));

  beforeAll(async () => {
    database = await sanctionsDatabase(purpose);
    const imported = await importWithCli(database.url, ['--dir', OFAC_FIXTURE]);
    if (imported.code !== 0) throw new Error(imported.stderr);
    app = await startTestApp({ DATABASE_URL: database.url, ...env });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    db = await superuserClient(database.url);
    await browser.launch();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 90_000);

  afterEach(() => {
    expect(browser.pageErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser.close();
    await db?.end();
    await app?.close();
    await database?.drop();
  });

  return {
    get app() { return started(app); },
    get databaseUrl() { return started(database).url; },
    get db() { return started(db); },
    get base() { return started(base); },
    browser,
    signedIn: (caller) => browser.signedIn(caller),
  };
}

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the console test bed starts in beforeAll');
  return value;
}
