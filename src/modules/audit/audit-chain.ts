import { createHash, createHmac } from 'node:crypto';

/** The first link of every tenant's chain points at this hash. */
export const GENESIS_HASH = Buffer.alloc(32);

/** What a chained audit row covers: everything but its database id and its own hash. */
export interface ChainedAuditContent {
  tenantId: string;
  seq: number;
  actor: string;
  actorRoles: string[];
  action: string;
  resourceType: string;
  resourceId: string | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
  occurredAt: Date;
  /** The data subject the entry is about; absent on entries about none (and on older rows). */
  subjectId?: string;
  /** Hex of personalDigest(subject's salt, personal values): what the chain covers of them. */
  personalDigest?: string;
}

/**
 * sha256(previous hash ‖ canonical JSON of the content). Canonical JSON sorts object keys at every
 * depth, because jsonb does not keep the order in which keys were written.
 */
export function auditHash(content: ChainedAuditContent, previousHash: Buffer): Buffer {
  const canonical = canonicalJson({ ...content, occurredAt: content.occurredAt.toISOString() });
  return createHash('sha256').update(previousHash).update(canonical).digest();
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Keyed by the subject's random salt, so the digest of low-entropy values (a name, a birth date)
 * cannot be confirmed by guessing once the salt is destroyed: that is what erasure does.
 */
export function personalDigest(salt: Buffer, personal: unknown): Buffer {
  return createHmac('sha256', salt).update(canonicalJson(personal)).digest();
}
