import { randomBytes } from 'node:crypto';
import { countRows } from '../../helpers/sanctions-lists';
import { callerOf, type TestCaller } from '../../helpers/tokens';
import { submission } from '../../helpers/venue-flow';
import { call, type Outcome, type TrafficOperation } from './fixed-rate-traffic';

/** The table each write lands in, by operation name. */
const WRITE_TABLES: Record<string, string> = {
  'start verification': 'venue_verifications',
  'screen a name': 'screenings',
  'raise a risk flag': 'risk_flags',
};

/** Listed names (OFAC fixture) and clear ones; repeats exercise the screening cache. */
const SCREENED_NAMES = ['Ayman al-Zawahiri', 'Blue Note Hall LLC', 'Banco Nacional de Cuba', 'Ada Lovelace', 'Musa Abu Marzouk'];

const idOf = (body: unknown): string | undefined => (body as { id?: unknown } | undefined)?.id as string | undefined;

export interface ComplianceTraffic {
  operations: TrafficOperation[];
  officer: TestCaller;
}

/**
 * What a tenant's systems and officers do all day, in one cycle: start verifications (one venue
 * each), screen names, raise risk flags (writes), and read payout eligibility, verifications and the
 * audit log; `auditVerify` adds the hash-chain check, whose cost grows with the tenant's history.
 */
export async function complianceTraffic(base: string, { auditVerify = false }: { auditVerify?: boolean } = {}): Promise<ComplianceTraffic> {
  const officer = await callerOf(['compliance_officer']);
  const manager = await callerOf(['compliance_manager'], { tenantId: officer.tenantId });
  const service = await callerOf(['service'], { tenantId: officer.tenantId });
  const run = randomBytes(3).toString('hex');
  // The venue the reads and risk flags are about: flags need a venue with a verification.
  const readVenue = `venue-${run}-read`;
  const seeded = await call(base, { method: 'POST', path: `/api/v1/venues/${readVenue}/verifications`, headers: officer.headers, body: submission() });
  if (seeded.status !== 201) throw new Error(`Seeding ${readVenue}: ${seeded.status} ${seeded.failure ?? seeded.text}`);
  let count = 0;
  const next = () => (count += 1);

  const operations: TrafficOperation[] = [
    {
      name: 'start verification',
      write: true,
      next: () => ({ method: 'POST', path: `/api/v1/venues/venue-${run}-${next()}/verifications`, headers: officer.headers, body: submission() }),
      acknowledgedId: idOf,
    },
    { name: 'payout eligibility', write: false, next: () => ({ method: 'GET', path: `/api/v1/venues/${readVenue}/payout-eligibility`, headers: service.headers }) },
    {
      name: 'screen a name',
      write: true,
      next: () => ({ method: 'POST', path: '/api/v1/screenings', headers: service.headers, body: { name: SCREENED_NAMES[next() % SCREENED_NAMES.length] } }),
      acknowledgedId: idOf,
    },
    { name: 'list verifications', write: false, next: () => ({ method: 'GET', path: `/api/v1/venues/${readVenue}/verifications`, headers: officer.headers }) },
    {
      name: 'raise a risk flag',
      write: true,
      next: () => ({ method: 'POST', path: '/api/v1/risk/flags', headers: officer.headers, body: { venueId: readVenue, severity: 'low', category: 'chargebacks', description: `Chargeback spike ${next()}` } }),
      acknowledgedId: idOf,
    },
    { name: 'read the audit log', write: false, next: () => ({ method: 'GET', path: '/api/v1/audit?limit=20', headers: officer.headers }) },
  ];
  if (auditVerify) operations.push({ name: 'verify the audit chain', write: false, next: () => ({ method: 'GET', path: '/api/v1/audit/verify', headers: manager.headers }) });
  return { operations, officer };
}

/**
 * Acknowledged writes (2xx with an id) that are not in the database: a write the client was told
 * succeeded and that was lost. Read as the superuser, outside row-level security.
 */
export async function lostWrites(databaseUrl: string, outcomes: Outcome[]): Promise<{ acknowledged: number; lost: string[] }> {
  const lost: string[] = [];
  let acknowledged = 0;
  for (const [operation, table] of Object.entries(WRITE_TABLES)) {
    const answered = outcomes.filter((outcome) => outcome.operation === operation && outcome.status >= 200 && outcome.status < 300);
    const ids = answered.flatMap((outcome) => (outcome.acknowledgedId === undefined ? [] : [outcome.acknowledgedId]));
    acknowledged += answered.length;
    if (ids.length !== answered.length) lost.push(`${operation}: ${answered.length - ids.length} 2xx answers without an id`);
    const found = await countRows(databaseUrl, `SELECT count(*) FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
    if (found !== ids.length) lost.push(`${table}: ${ids.length - found} of ${ids.length} acknowledged rows missing`);
  }
  return { acknowledged, lost };
}
