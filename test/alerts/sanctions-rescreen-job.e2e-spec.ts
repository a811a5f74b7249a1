import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';
import { JobsService } from '../../src/jobs/jobs.service';
import { SANCTIONS_RESCREEN_CHUNK_JOB } from '../../src/modules/alerts/monitoring/sanctions-rescreen-chunk.job';
import type { SanctionsSource } from '../../src/modules/sanctions/lists/sanctions-list-entry.model';
import { SANCTIONS_RESCREEN_JOB } from '../../src/modules/sanctions/lists/sanctions-rescreen.job';
import { ActiveSanctionsLists } from '../../src/modules/sanctions/screening/active-sanctions-lists';
import { listsKeyOf } from '../../src/modules/sanctions/screening/sanctions-snapshot';
import { eventually } from '../helpers/eventually';
import { importWithCli, modifiedOfac, OFAC_FIXTURE, ofacCopy, sanctionsDatabase, scratchFolder } from '../helpers/sanctions-lists';
import { superuserClient } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { startVerification } from '../helpers/venue-flow';

/** Workers poll every 0.5 s and each tenant is a chunk of its own: many quick chunks for two instances to share. */
const FAST_RESCREEN = { JOBS_POLL_INTERVAL_SECONDS: '0.5', SANCTIONS_RESCREEN_CHUNK_VERIFICATIONS: '1' };
const TENANTS = 8;
/** In the modified fixture only (helpers/sanctions-lists.ts): entry 999999, DOB 1 Jan 1970. */
const NEWLY_LISTED = { fullName: 'Vexinator Zorblax', dateOfBirth: '1970-01-01', ownershipPercent: 40 };
const NEVER_LISTED = { fullName: 'Grace Hopper', dateOfBirth: '1906-12-09', ownershipPercent: 40 };

interface RunRow {
  queue_job_id: string;
  status: string;
  attempt: number;
  instance: string;
  progress: Record<string, number>;
}

describe('sanctions re-screening when a list version is activated', () => {
  let database: { url: string; drop: () => Promise<void> };
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;
  let db: Client;
  /** One officer per tenant, each tenant with one monitored verification; even ones name NEWLY_LISTED. */
  const officers: TestCaller[] = [];
  let baseKey: string;
  let newKey: string;

  const activeListsKey = async (): Promise<string> =>
    listsKeyOf((await db.query<{ id: string; source: SanctionsSource }>('SELECT id, source FROM sanctions_list_versions WHERE active')).rows);
  const runsOf = async (jobName: string, listVersionKey: string): Promise<RunRow[]> =>
    (await db.query<RunRow>(
      `SELECT r.queue_job_id, r.status, r.attempt, r.instance, r.progress FROM job_runs r JOIN pgboss.job j ON j.id = r.queue_job_id
       WHERE j.name = $1 AND j.data->>'listVersionKey' = $2 ORDER BY r.started_at`,
      [jobName, listVersionKey],
    )).rows;
  const finishedRun = (queueJobId: string): Promise<RunRow> =>
    eventually(async () => {
      const [run] = (await db.query<RunRow>("SELECT queue_job_id, status, attempt, instance, progress FROM job_runs WHERE queue_job_id = $1 AND status <> 'running'", [queueJobId])).rows;
      return run;
    }, 20_000, `job ${queueJobId} to finish`);
  const succeededRuns = (jobName: string, listVersionKey: string, count: number): Promise<RunRow[]> =>
    eventually(async () => {
      const runs = (await runsOf(jobName, listVersionKey)).filter((run) => run.status === 'succeeded');
      return runs.length >= count ? runs : undefined;
    }, 30_000, `${count} succeeded ${jobName} runs`);
  const count = async (sql: string, values: unknown[] = []): Promise<number> => Number((await db.query<{ count: string }>(sql, values)).rows[0]?.count);
  const evenTenants = () => officers.filter((_officer, index) => index % 2 === 0).map((officer) => officer.tenantId).sort();
  const allTenants = () => officers.map((officer) => officer.tenantId).sort();

  beforeAll(async () => {
    database = await sanctionsDatabase('rescreen_job');
    // Before any instance has run: the CLI (a process without the job engine) queues the re-screen.
    const imported = await importWithCli(database.url, ['--dir', OFAC_FIXTURE]);
    if (imported.code !== 0) throw new Error(imported.stderr);
    db = await superuserClient(database.url);
    baseKey = await activeListsKey();
    a = await startTestApp({ DATABASE_URL: database.url, ...FAST_RESCREEN });
    b = await startTestApp({ DATABASE_URL: database.url, ...FAST_RESCREEN });
  }, 90_000);

  afterAll(async () => {
    await db?.end();
    await Promise.all([a?.close(), b?.close()]);
    await database?.drop();
  });

  it('queues the re-screen in the import\'s own transaction, even before any instance has started, and runs it once one has', async () => {
    expect(await count("SELECT count(*) FROM pgboss.job WHERE name = 'sanctions-rescreen' AND data->>'listVersionKey' = $1", [baseKey])).toBe(1);
    const [run] = await succeededRuns(SANCTIONS_RESCREEN_JOB.name, baseKey, 1);
    // Nothing was monitored yet: no tenant, no chunk.
    expect(run?.progress).toEqual({ tenants: 0, verifications: 0, chunks: 0 });
  }, 30_000);

  it('re-screens every tenant when an import activates a new version, with no HTTP call: an alert per newly listed owner, one sanctions.list_updated event per tenant', async () => {
    for (let index = 0; index < TENANTS; index += 1) {
      const officer = await callerOf(['compliance_officer']);
      await startVerification(index % 2 === 0 ? a : b, officer, `venue-${index}`, { beneficialOwners: [index % 2 === 0 ? NEWLY_LISTED : NEVER_LISTED] });
      officers.push(officer);
    }
    const idleTenant = await callerOf(['compliance_officer']);
    expect(await count('SELECT count(*) FROM screening_alerts')).toBe(0);

    const imported = await importWithCli(database.url, ['--dir', ofacCopy(scratchFolder('rescreen-job-'), 'modified', modifiedOfac)]);
    expect(imported.code).toBe(0);
    newKey = await activeListsKey();
    expect(newKey).not.toBe(baseKey);
    await succeededRuns(SANCTIONS_RESCREEN_CHUNK_JOB.name, newKey, TENANTS);

    const alerts = await db.query<{ tenant_id: string; source_id: string; status: string }>('SELECT tenant_id::text, source_id, status FROM screening_alerts');
    expect(alerts.rows.map((alert) => `${alert.tenant_id} ${alert.source_id} ${alert.status}`).sort()).toEqual(evenTenants().map((tenantId) => `${tenantId} 999999 open`));
    const statuses = await db.query<{ tenant_id: string; sanctions_status: string }>('SELECT tenant_id::text, sanctions_status FROM venue_verifications');
    for (const row of statuses.rows) expect(evenTenants().includes(row.tenant_id) ? ['match', 'potential_match'] : ['clear']).toContain(row.sanctions_status);

    const events = await db.query<{ tenant_id: string; payload: Record<string, unknown> }>(
      "SELECT tenant_id::text, payload FROM domain_events WHERE type = 'sanctions.list_updated' AND dedup_key = $1",
      [newKey],
    );
    expect(events.rows.map((event) => event.tenant_id).sort()).toEqual(allTenants());
    expect(events.rows.map((event) => event.tenant_id)).not.toContain(idleTenant.tenantId);
    for (const event of events.rows) {
      const listed = evenTenants().includes(event.tenant_id) ? 1 : 0;
      expect(event.payload).toEqual({ listVersion: newKey, verifications: 1, alreadyScreened: 0, subjects: 2, alertsOpened: listed, statusesChanged: listed });
    }
    // The audit entry stays beside the event: one per tenant, by the monitor.
    const audit = await db.query<{ tenant_id: string; actor: string }>("SELECT tenant_id, actor FROM audit_log WHERE action = 'sanctions.list_updated'");
    expect(audit.rows.map((entry) => `${entry.tenant_id} ${entry.actor}`).sort()).toEqual(allTenants().map((tenantId) => `${tenantId} sanctions-monitor`));
  }, 60_000);

  it('runs one re-screen per activation although two instances run workers, and shares its chunks between both', async () => {
    expect(await count("SELECT count(*) FROM pgboss.job WHERE name = 'sanctions-rescreen' AND data->>'listVersionKey' = $1", [newKey])).toBe(1);
    expect(await runsOf(SANCTIONS_RESCREEN_JOB.name, newKey)).toEqual([
      expect.objectContaining({ status: 'succeeded', attempt: 1, progress: { tenants: TENANTS, verifications: TENANTS, chunks: TENANTS } }),
    ]);
    const chunks = await runsOf(SANCTIONS_RESCREEN_CHUNK_JOB.name, newKey);
    expect(chunks).toHaveLength(TENANTS);
    expect(chunks.every((run) => run.status === 'succeeded' && run.attempt === 1 && run.progress.tenants === 1)).toBe(true);
    expect(new Set(chunks.map((run) => run.instance)).size).toBe(2);
    // Each instance loaded the new lists to run its chunks, whether or not its own poll had come round.
    expect([a, b].map((app) => app.get(ActiveSanctionsLists).current()?.key)).toEqual([newKey, newKey]);
  });

  it('re-screens nothing already screened against the lists when a chunk runs again, and opens no alert or event twice', async () => {
    const totals = async () => {
      const rows: number[] = [];
      for (const table of ['screenings', 'screening_alerts', 'domain_events', 'audit_log']) rows.push(await count(`SELECT count(*) FROM ${table}`));
      return rows;
    };
    const before = await totals();
    const jobId = await a.get(JobsService).enqueue(SANCTIONS_RESCREEN_CHUNK_JOB, { listVersionKey: newKey, tenantIds: officers.map((officer) => officer.tenantId) });
    const run = await finishedRun(jobId as string);
    expect(run).toMatchObject({ status: 'succeeded', progress: { tenants: TENANTS, verifications: 0, alreadyScreened: TENANTS, subjects: 0, alertsOpened: 0, statusesChanged: 0 } });
    expect(await totals()).toEqual(before);
  });

  it('does nothing for lists a later activation replaced: that activation\'s own re-screen covers every tenant', async () => {
    const jobs = b.get(JobsService);
    const trigger = await finishedRun((await jobs.enqueue(SANCTIONS_RESCREEN_JOB, { listVersionKey: baseKey })) as string);
    expect(trigger).toMatchObject({ status: 'succeeded', progress: { superseded: 1 } });
    expect(await count("SELECT count(*) FROM pgboss.job WHERE name = 'sanctions-rescreen-chunk' AND data->>'listVersionKey' = $1", [baseKey])).toBe(0);
    const chunk = await finishedRun((await jobs.enqueue(SANCTIONS_RESCREEN_CHUNK_JOB, { listVersionKey: baseKey, tenantIds: [officers[0]?.tenantId as string] })) as string);
    expect(chunk).toMatchObject({ status: 'succeeded', progress: { superseded: 1 } });
  });

  it('re-screens against the active lists when an operator runs the job by hand, without a list version', async () => {
    const admin = await callerOf(['admin']);
    const response = await a.inject({ method: 'POST', url: `/api/v1/jobs/${SANCTIONS_RESCREEN_JOB.name}/run`, headers: admin.headers });
    expect(response.statusCode).toBe(202);
    const run = await finishedRun(response.json<{ jobId: string }>().jobId);
    expect(run).toMatchObject({ status: 'succeeded', progress: { tenants: TENANTS, verifications: TENANTS, chunks: TENANTS } });
    expect(await count("SELECT count(*) FROM pgboss.job WHERE name = 'sanctions-rescreen-chunk' AND data->>'listVersionKey' = $1", [newKey])).toBe(2 * TENANTS + 1);
    // Every verification was screened against these lists already: the operator's chunks re-screen none.
    const chunks = await succeededRuns(SANCTIONS_RESCREEN_CHUNK_JOB.name, newKey, 2 * TENANTS + 1);
    expect(chunks.slice(TENANTS + 1).map((chunk) => chunk.progress)).toEqual(Array.from({ length: TENANTS }, () => expect.objectContaining({ verifications: 0, alreadyScreened: 1 })));
  }, 30_000);

  it('queues a re-screen against the lists finally active when two sources are activated at the same moment', async () => {
    const openSanctionsFile = (edit: (text: string) => string = (text) => text): string => {
      const file = join(scratchFolder('rescreen-job-opensanctions-'), 'targets.simple.csv');
      writeFileSync(file, edit(readFileSync(join(OFAC_FIXTURE, '..', 'opensanctions-targets.simple.csv'), 'utf8')));
      return file;
    };
    expect((await importWithCli(database.url, ['--source', 'opensanctions', '--file', openSanctionsFile()])).code).toBe(0);
    // Holding both active versions stops each import just before it activates; released, they activate together.
    const holder = await superuserClient(database.url);
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM sanctions_list_versions WHERE active FOR UPDATE');
      const imports = Promise.all([
        importWithCli(database.url, ['--dir', OFAC_FIXTURE]),
        importWithCli(database.url, ['--source', 'opensanctions', '--file', openSanctionsFile((text) => text.replace('2024-06-01T10:00:00', '2024-06-02T10:00:00'))]),
      ]);
      const waitingToActivate = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE sanctions_list_versions%'";
      await eventually(async () => ((await count(waitingToActivate)) === 2 ? true : undefined), 30_000, 'both imports to wait before activating');
      await holder.query('COMMIT');
      expect((await imports).map((imported) => imported.code)).toEqual([0, 0]);
    } finally {
      await holder.end();
    }
    const bothKey = await activeListsKey();
    expect(bothKey.split(',')).toHaveLength(2);
    // Whichever activation committed second named both new versions, not its own with the other's old one.
    expect(await count("SELECT count(*) FROM pgboss.job WHERE name = 'sanctions-rescreen' AND data->>'listVersionKey' = $1", [bothKey])).toBe(1);
    const [run] = await succeededRuns(SANCTIONS_RESCREEN_JOB.name, bothKey, 1);
    expect(run?.progress).toEqual({ tenants: TENANTS, verifications: TENANTS, chunks: TENANTS });
    await succeededRuns(SANCTIONS_RESCREEN_CHUNK_JOB.name, bothKey, TENANTS);
  }, 90_000);
});
