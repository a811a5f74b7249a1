import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { join } from 'node:path';
import type { Client } from 'pg';
import type { Role } from '../../src/auth/roles';
import { ROOT } from '../helpers/cli';
import { sanctionsDatabase } from '../helpers/sanctions-lists';
import { type SeededTenant, seedTenant } from '../helpers/seeded-tenant';
import { superuserClient } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { startVerification } from '../helpers/venue-flow';
import { documentPathOf } from './openapi-operations';

/** Every role but venue_owner (whose token limits it to its venues): each route admits this caller. */
export const FUZZ_ROLES: Role[] = ['admin', 'compliance_manager', 'compliance_officer', 'service'];
/** The folder above the OFAC fixture: `{ source: 'ofac', dir: 'ofac' }` imports it. */
export const FUZZ_IMPORT_DIR = join(ROOT, 'test', 'fixtures', 'sanctions');
export const HTTP_BODY_LIMIT_BYTES = 1_048_576;
/** Below the 10 MB default so oversized uploads stay cheap; the limit's logic is the same. */
export const DOCUMENT_MAX_BYTES = 256 * 1024;

export interface FuzzTarget {
  app: NestFastifyApplication;
  db: Client;
  tenant: SeededTenant;
  /** Tenant A with FUZZ_ROLES. */
  caller: TestCaller;
  /** Tenant B with FUZZ_ROLES: A's ids must be 404 to it. */
  stranger: TestCaller;
  /** An open screening alert of A (an owner on the SDN list), its screening and the SDN entry hit. */
  alertId: string;
  screeningId: string;
  sdnId: string;
  /** Privacy requests of A still `received`: one to start, extend and complete, one to refuse. */
  openPrivacyRequestId: string;
  refusablePrivacyRequestId: string;
  /** `METHOD /documented/{path}` of every route Fastify registered under /api/. */
  apiRoutes: Set<string>;
  close(): Promise<void>;
}

async function expectOk<T>(response: { statusCode: number; body: string; json<J>(): J }, what: string): Promise<T> {
  if (response.statusCode >= 300) throw new Error(`${what}: ${response.statusCode} ${response.body}`);
  return response.json<T>();
}

/**
 * The app in-process on a database of its own (the suite counts every table's rows, which other
 * suites must not change) with the OFAC fixture imported, a seeded tenant, and the few things
 * seedTenant has no ids for. No job workers: a job must not change a row count under the check.
 */
export async function startFuzzTarget(): Promise<FuzzTarget> {
  const database = await sanctionsDatabase('fuzz');
  const apiRoutes = new Set<string>();
  const app = await startTestApp(
    {
      DATABASE_URL: database.url,
      JOBS_WORKERS: 'false',
      SANCTIONS_IMPORT_DIR: FUZZ_IMPORT_DIR,
      HTTP_BODY_LIMIT_BYTES: String(HTTP_BODY_LIMIT_BYTES),
      DOCUMENT_MAX_BYTES: String(DOCUMENT_MAX_BYTES),
      RATE_LIMIT_STRICT_LIMIT: '1000000',
      RATE_LIMIT_WEBHOOK_LIMIT: '1000000',
    },
    (nest) =>
      nest.getHttpAdapter().getInstance().addHook('onRoute', (route) => {
        if (!route.url.startsWith('/api/')) return;
        for (const method of [route.method].flat()) if (method !== 'HEAD') apiRoutes.add(`${method} ${documentPathOf(route.url)}`);
      }),
  );
  const db = await superuserClient(database.url);
  try {
    const admin = await callerOf(['admin']);
    await expectOk(await app.inject({ method: 'POST', url: '/api/v1/sanctions/imports', headers: admin.headers, payload: { source: 'ofac', dir: 'ofac' } }), 'import the OFAC fixture');
    const tenant = await seedTenant(app, 'fuzz');
    const caller = await callerOf(FUZZ_ROLES, { tenantId: tenant.tenantId, userId: 'fuzz-caller' });
    const stranger = await callerOf(FUZZ_ROLES, { userId: 'fuzz-stranger' });
    const listed = await seedListedVerification(app, tenant);
    const openPrivacyRequest = async (type: string): Promise<string> => {
      const created = await app.inject({ method: 'POST', url: '/api/v1/privacy/requests', headers: tenant.officer.headers, payload: { subjectId: tenant.venueId, type, reason: 'Asked by the venue owner' } });
      return (await expectOk<{ id: string }>(created, 'open privacy request')).id;
    };
    // Access, not erasure: completing an erasure would remove the export that export-link serves.
    const openPrivacyRequestId = await openPrivacyRequest('access');
    const refusablePrivacyRequestId = await openPrivacyRequest('erasure');
    return {
      app,
      db,
      tenant,
      caller,
      stranger,
      ...listed,
      openPrivacyRequestId,
      refusablePrivacyRequestId,
      apiRoutes,
      close: async () => {
        await db.end();
        await app.close();
        await database.drop();
      },
    };
  } catch (error) {
    await db.end();
    await app.close();
    await database.drop();
    throw error;
  }
}

/** A verification whose owner is on the SDN list: its screening hits entry 2676 and opens an alert. */
async function seedListedVerification(app: NestFastifyApplication, tenant: SeededTenant): Promise<{ alertId: string; screeningId: string; sdnId: string }> {
  const venueId = 'venue-fuzz-listed';
  const verification = await startVerification(app, tenant.officer, venueId, {
    beneficialOwners: [{ fullName: 'Ayman al-Zawahiri', dateOfBirth: '1951-06-19', ownershipPercent: 30 }],
  });
  const alerts = await expectOk<{ items: Array<{ id: string; sdnId: string }> }>(await app.inject({ method: 'GET', url: '/api/v1/alerts', query: { venueId }, headers: tenant.officer.headers }), 'alerts');
  const alert = alerts.items[0];
  if (alert === undefined) throw new Error('the listed owner opened no alert');
  const screenings = await expectOk<{ items: Array<{ id: string; matches: Array<{ sdnId: string }> }> }>(
    await app.inject({ method: 'GET', url: '/api/v1/screenings', query: { verificationId: verification.id }, headers: tenant.officer.headers }),
    'screenings',
  );
  const screening = screenings.items.find((item) => item.matches.some((match) => match.sdnId === alert.sdnId));
  if (screening === undefined) throw new Error(`no screening of ${verification.id} hit ${alert.sdnId}`);
  return { alertId: alert.id, screeningId: screening.id, sdnId: alert.sdnId };
}
