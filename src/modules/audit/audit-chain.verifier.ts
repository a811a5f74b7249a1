import type { EntityManager } from 'typeorm';
import { auditHash, GENESIS_HASH, personalDigest } from './audit-chain';
import type { ChainVerification } from './audit-entry';
import type { AuditRepository, AuditRow } from './audit.repository';

const BATCH = 1_000;

/**
 * Walks one tenant's chain from the genesis: every row's sequence follows its predecessor's, its
 * `prev_hash` is the predecessor's hash, and its hash matches its content; the head names the last
 * row. An edited row, a deleted row (inside or at the end) and a reordered row all break a link.
 */
export async function verifyAuditChain(repository: AuditRepository, tx: EntityManager, tenantId: string): Promise<ChainVerification> {
  let expectedSeq = 1;
  let previousHash: Buffer = GENESIS_HASH;
  let checked = 0;
  const broken = (row: { seq: number; id: string }, reason: string): ChainVerification => ({ tenantId, checked, intact: false, firstBroken: { ...row, reason } });
  for (;;) {
    const rows = await repository.chainBatch(tx, tenantId, expectedSeq - 1, BATCH);
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) return broken({ seq: expectedSeq, id: row.id }, `sequence ${expectedSeq} is missing (next row has ${seq})`);
      if (row.prev_hash === null || !row.prev_hash.equals(previousHash)) return broken({ seq, id: row.id }, 'prev_hash does not match the previous row');
      const recomputed = auditHash(contentOf(row), previousHash);
      if (row.hash === null || !row.hash.equals(recomputed)) return broken({ seq, id: row.id }, 'the row was changed after it was written');
      const personalProblem = personalValuesProblem(row);
      if (personalProblem !== undefined) return broken({ seq, id: row.id }, personalProblem);
      previousHash = recomputed;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < BATCH) break;
  }
  const head = await repository.head(tx, tenantId);
  if (head !== undefined && (head.seq !== expectedSeq - 1 || !head.hash.equals(previousHash))) {
    return broken({ seq: expectedSeq, id: '' }, `the chain head says ${head.seq} rows but ${expectedSeq - 1} were found: rows were removed at the end`);
  }
  return { tenantId, checked, intact: true, firstBroken: null };
}

/**
 * Personal values kept beside the chain must still match the digest the chain covers, while the
 * subject's salt exists; once an erasure destroyed the salt (and the values) there is nothing left
 * to check, and the chain itself still verifies.
 */
function personalValuesProblem(row: AuditRow): string | undefined {
  if (row.personal_digest === null || row.salt === null) return undefined;
  if (row.personal === null) return 'the personal values were removed without erasing the subject';
  if (!personalDigest(row.salt, row.personal).equals(row.personal_digest)) return 'the personal values were changed after they were written';
  return undefined;
}

function contentOf(row: AuditRow) {
  return {
    tenantId: row.tenant_id,
    seq: Number(row.seq),
    actor: row.actor,
    actorRoles: row.actor_roles ?? [],
    action: row.action,
    resourceType: row.entity_type,
    resourceId: row.entity_id,
    requestId: row.request_id,
    before: row.before_state,
    after: row.after_state,
    occurredAt: row.occurred_at,
    subjectId: row.subject_id ?? undefined,
    personalDigest: row.personal_digest?.toString('hex'),
  };
}
