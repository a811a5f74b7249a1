import { createServer } from 'node:http';
import { Pool } from 'pg';

/**
 * The baseline of bench:payout: the same indexed read as the service's payout-eligibility
 * endpoint through a bare pg pool behind node:http, with no framework, token, role switch or
 * transaction. `PORT`, `DATABASE_URL`, `TENANT_ID` and `POOL_SIZE` come from the bench.
 */
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
const tenantId = process.env.TENANT_ID;

createServer((request, response) => {
  const venueId = decodeURIComponent((request.url ?? '').split('/')[4] ?? '');
  pool
    .query(
      `SELECT state, payout_disabled_reason, requirements_due, expires_at IS NOT NULL AND expires_at <= now() AS lapsed
       FROM venue_verifications WHERE tenant_id = $1 AND venue_id = $2
       ORDER BY state IN ('pending', 'in_review', 'action_required'), submitted_at DESC LIMIT 1`,
      [tenantId, venueId],
    )
    .then(({ rows }) => {
      const row = rows[0] as { payout_disabled_reason: string | null; requirements_due: string[] } | undefined;
      const body = JSON.stringify({ eligible: row !== undefined && row.payout_disabled_reason === null, disabled_reason: row?.payout_disabled_reason ?? null, requirements_due: row?.requirements_due ?? [] });
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    })
    .catch(() => response.writeHead(500).end());
}).listen(Number(process.env.PORT), '127.0.0.1');
