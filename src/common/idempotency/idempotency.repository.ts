import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../database/tenant-transaction';

export interface StoredIdempotencyKey {
  request_hash: Buffer;
  status: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: unknown;
}

export interface IdempotencyScope {
  tenantId: string;
  principalId: string;
  key: string;
}

@Injectable()
export class IdempotencyRepository {
  /**
   * Claims the key for this request, or returns what is stored under it. An expired row is
   * reclaimed in the same statement; a live one comes back unchanged for the caller to judge.
   */
  async claim(tx: TenantTransaction, scope: IdempotencyScope, requestHash: Buffer, ttlHours: number): Promise<StoredIdempotencyKey | 'claimed'> {
    const claimed: unknown[] = await tx.query(
      `INSERT INTO idempotency_keys (tenant_id, principal_id, key, request_hash, status, expires_at)
       VALUES ($1, $2, $3, $4, 'in_progress', now() + make_interval(hours => $5))
       ON CONFLICT (tenant_id, principal_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, status = 'in_progress', response_status = NULL, response_body = NULL,
             created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE idempotency_keys.expires_at <= now()
       RETURNING 1`,
      [scope.tenantId, scope.principalId, scope.key, requestHash, ttlHours],
    );
    if (claimed.length > 0) return 'claimed';
    const rows: StoredIdempotencyKey[] = await tx.query(
      'SELECT request_hash, status, response_status, response_body FROM idempotency_keys WHERE tenant_id = $1 AND principal_id = $2 AND key = $3',
      [scope.tenantId, scope.principalId, scope.key],
    );
    return rows[0] as StoredIdempotencyKey;
  }

  async complete(tx: TenantTransaction, scope: IdempotencyScope, status: number, body: unknown): Promise<void> {
    await tx.query(
      `UPDATE idempotency_keys SET status = 'completed', response_status = $4, response_body = $5::jsonb
       WHERE tenant_id = $1 AND principal_id = $2 AND key = $3`,
      [scope.tenantId, scope.principalId, scope.key, status, JSON.stringify(body ?? null)],
    );
  }

  async release(tx: TenantTransaction, scope: IdempotencyScope): Promise<void> {
    await tx.query('DELETE FROM idempotency_keys WHERE tenant_id = $1 AND principal_id = $2 AND key = $3', [scope.tenantId, scope.principalId, scope.key]);
  }
}
