/** One state change, as a domain service reports it to AuditService.record. */
export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId: string | null;
  before?: unknown;
  after?: unknown;
  /** The data subject (a venue id) the entry is about: its access export lists the entry. */
  subjectId?: string;
  /**
   * Personal values of the subject (names, birth dates, free text about them). They are stored
   * beside the chain, not in it, so an erasure can destroy them; requires `subjectId`.
   */
  personal?: Record<string, unknown>;
}

/** Who acted: taken from the request context unless a job or CLI names itself. */
export interface AuditActor {
  tenantId: string;
  actor: string;
  actorRoles: readonly string[];
  requestId: string | null;
}

export interface AuditRecordView {
  id: string;
  seq: number | null;
  occurredAt: string;
  actor: string;
  actorRoles: string[];
  action: string;
  resourceType: string;
  resourceId: string | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
  subjectId: string | null;
  /** The personal values, or null when the entry has none or they were erased (`personalErased`). */
  personal: unknown;
  personalErased: boolean;
}

export interface ChainVerification {
  tenantId: string;
  checked: number;
  intact: boolean;
  /** The first link that does not match its content or its predecessor, when broken. */
  firstBroken: { seq: number; id: string; reason: string } | null;
}
