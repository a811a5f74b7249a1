import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { SANCTIONS_LIST_REFRESH_JOB } from '../../src/modules/sanctions/refresh/sanctions-list-refresh.job';
import { ActiveSanctionsLists } from '../../src/modules/sanctions/screening/active-sanctions-lists';
import { CapturedLogs } from '../helpers/captured-logs';
import { eventually } from '../helpers/eventually';
import { queryDatabase } from '../helpers/flag-store';
import { startOverridableApp } from '../helpers/overridable-app';
import { OFAC_FIXTURE, sanctionsDatabase } from '../helpers/sanctions-lists';
import { callerOf, type TestCaller } from '../helpers/tokens';

const OFAC_FILES = ['sdn.csv', 'alt.csv', 'add.csv', 'sdn_comments.csv'];
/** Stands for an access token in SANCTIONS_SOURCE_URL: it must reach the server and never a log line. */
const TOKEN = 'source-token-6f1d0c9a2b';
const TIMEOUT_MS = 2_000;

/**
 * The OFAC fixture published over real HTTP on localhost. `files` serves them (to the right token),
 * `not_found` answers 404, `silent` never answers (the response is held until the server stops).
 */
class ListSource {
  mode: 'files' | 'not_found' | 'silent' = 'files';
  readonly requested: string[] = [];
  private readonly held = new Set<ServerResponse>();
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://source');
      this.requested.push(`${url.pathname}?${url.searchParams.toString()}`);
      if (this.mode === 'silent') {
        this.held.add(response);
        return;
      }
      const file = basename(url.pathname);
      if (this.mode === 'not_found' || !OFAC_FILES.includes(file)) return void response.writeHead(404).end();
      if (url.searchParams.get('token') !== TOKEN) return void response.writeHead(403).end();
      response.writeHead(200, { 'content-type': 'text/csv', 'content-length': statSync(join(OFAC_FIXTURE, file)).size });
      createReadStream(join(OFAC_FIXTURE, file)).pipe(response);
    });
    await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/lists/ofac?token=${TOKEN}`;
  }

  async stop(): Promise<void> {
    for (const response of this.held) response.destroy();
    this.server?.closeAllConnections();
    await new Promise((done) => this.server?.close(done));
  }
}

interface Run {
  status: string;
  progress: Record<string, number>;
  error_type: string | null;
  error_message: string | null;
}

/** nestjs-pino keeps the first app's logger for the process: both apps of this file log here. */
const logs = new CapturedLogs();

describe('the sanctions-list-refresh job', () => {
  let database: { url: string; drop: () => Promise<void> };
  let app: NestFastifyApplication | undefined;
  let admin: TestCaller;
  const source = new ListSource();
  let sourceUrl: string;

  const sql = <T>(text: string, parameters: unknown[] = []) => queryDatabase<T>(database.url, text, parameters);
  const startApp = (env: Record<string, string> = {}) => startOverridableApp({ env: { DATABASE_URL: database.url, JOBS_POLL_INTERVAL_SECONDS: '0.5', ...env }, logs });
  const configured = () =>
    startApp({ SANCTIONS_SOURCE_URL: sourceUrl, SANCTIONS_SOURCE_FORMAT: 'ofac', SANCTIONS_SOURCE_CRON: '0 5 * * *', SANCTIONS_SOURCE_TIMEOUT_MS: String(TIMEOUT_MS) });
  const versions = () => sql<{ id: string; active: boolean; loaded_by: string; entry_count: number }>('SELECT id, active, loaded_by, entry_count FROM sanctions_list_versions ORDER BY loaded_at');
  const leftoverDownloads = () => readdirSync(tmpdir()).filter((name) => name.startsWith('sanctions-source-'));

  /** Runs the job through the engine (POST /api/v1/jobs/{name}/run) and answers its first attempt once it ended. */
  const run = async (): Promise<Run> => {
    const response = await (app as NestFastifyApplication).inject({ method: 'POST', url: `/api/v1/jobs/${SANCTIONS_LIST_REFRESH_JOB.name}/run`, headers: admin.headers });
    expect(response.statusCode).toBe(202);
    const { jobId } = response.json<{ jobId: string }>();
    return eventually(
      async () => (await sql<Run>("SELECT status, progress, error_type, error_message FROM job_runs WHERE queue_job_id = $1 AND attempt = 1 AND status <> 'running'", [jobId]))[0],
      15_000,
      `job ${jobId} finished its first attempt`,
    );
  };
  const schedule = async () => {
    const response = await (app as NestFastifyApplication).inject({ method: 'GET', url: '/api/v1/jobs', headers: admin.headers });
    return response.json<{ items: Array<{ name: string; schedule: unknown }> }>().items.find((job) => job.name === SANCTIONS_LIST_REFRESH_JOB.name)?.schedule;
  };

  beforeAll(async () => {
    database = await sanctionsDatabase('list_refresh');
    sourceUrl = await source.start();
    admin = await callerOf(['admin']);
  }, 60_000);

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(async () => {
    await source.stop();
    await database?.drop();
  });

  it('is not scheduled without SANCTIONS_SOURCE_URL, and a run downloads nothing and reports skipped', async () => {
    app = await startApp();
    expect(await schedule()).toBeNull();
    expect(await sql("SELECT 1 FROM pgboss.schedule WHERE name = 'sanctions-list-refresh'")).toEqual([]);
    expect(await run()).toMatchObject({ status: 'succeeded', progress: { skipped: 1 } });
    expect(source.requested).toEqual([]);
    expect(await versions()).toEqual([]);
  }, 30_000);

  it('downloads the four OFAC files from the configured URL, activates a new list version and indexes it at once', async () => {
    app = await configured();
    expect(await schedule()).toEqual({ cron: '0 5 * * *', tz: 'UTC', period: 'daily' });
    expect(await sql("SELECT cron FROM pgboss.schedule WHERE name = 'sanctions-list-refresh'")).toEqual([{ cron: '0 5 * * *' }]);
    const before = leftoverDownloads();

    const result = await run();
    const bytes = OFAC_FILES.reduce((sum, file) => sum + statSync(join(OFAC_FIXTURE, file)).size, 0);
    expect(result).toMatchObject({ status: 'succeeded', progress: { filesDownloaded: 4, bytesDownloaded: bytes, imported: 1, entries: expect.any(Number), aliases: expect.any(Number) } });
    expect(source.requested).toEqual(OFAC_FILES.map((file) => `/lists/ofac/${file}?token=${TOKEN}`));
    const [version] = await versions();
    expect(await versions()).toEqual([{ id: version?.id, active: true, loaded_by: 'job:sanctions-list-refresh', entry_count: result.progress.entries }]);
    expect(app.get(ActiveSanctionsLists).current()?.versions.map((indexed) => indexed.id)).toEqual([version?.id]);
    expect(leftoverDownloads()).toEqual(before);
  }, 30_000);

  it('changes nothing when the source serves the same files again', async () => {
    app = await configured();
    const before = await versions();
    expect(await run()).toMatchObject({ status: 'succeeded', progress: { filesDownloaded: 4, unchanged: 1 } });
    expect(await versions()).toEqual(before);
  }, 30_000);

  it('fails with the file and the HTTP status when the source answers 404, and keeps the active list', async () => {
    app = await configured();
    const before = await versions();
    source.mode = 'not_found';
    const result = await run();
    expect(result).toMatchObject({ status: 'failed', error_type: 'SanctionsSourceDownloadError' });
    expect(result.error_message).toBe('Downloading sdn.csv from SANCTIONS_SOURCE_URL failed: the server answered HTTP 404; the active list is unchanged');
    expect(await versions()).toEqual(before);
  }, 30_000);

  it('fails when the source does not answer within SANCTIONS_SOURCE_TIMEOUT_MS, keeps the active list and leaves no download behind', async () => {
    app = await configured();
    const before = await versions();
    const downloads = leftoverDownloads();
    source.mode = 'silent';
    const result = await run();
    expect(result).toMatchObject({ status: 'failed', error_type: 'SanctionsSourceDownloadError' });
    expect(result.error_message).toMatch(/^Downloading sdn\.csv from SANCTIONS_SOURCE_URL failed: no complete answer within SANCTIONS_SOURCE_TIMEOUT_MS \(2000 ms\)/);
    expect(await versions()).toEqual(before);
    expect(leftoverDownloads()).toEqual(downloads);
  }, 30_000);

  it('logs the downloads by host only, never the token in the URL', () => {
    expect(logs.text).toContain(`downloaded 4 file(s), ${OFAC_FILES.reduce((sum, file) => sum + statSync(join(OFAC_FIXTURE, file)).size, 0)} bytes, from ${new URL(sourceUrl).host}`);
    expect(logs.text).toContain('Downloading sdn.csv from SANCTIONS_SOURCE_URL failed');
    expect(logs.text).not.toContain(TOKEN);
  });
});
