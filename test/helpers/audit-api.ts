import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestCaller } from './tokens';

export interface AuditItem {
  id: string;
  seq: number | null;
  occurredAt: string;
  actor: string;
  requestId: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  before: unknown;
  after: unknown;
}

export interface ChainReport {
  tenantId: string;
  checked: number;
  intact: boolean;
  firstBroken: { seq: number; id: string; reason: string } | null;
}

/** One page of GET /api/v1/audit with the given query. */
export async function auditPage(app: NestFastifyApplication, caller: TestCaller, query: Record<string, string> = {}): Promise<{ items: AuditItem[]; nextCursor: string | null }> {
  const response = await app.inject({ method: 'GET', url: '/api/v1/audit', query, headers: caller.headers });
  if (response.statusCode !== 200) throw new Error(`GET /api/v1/audit: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** Every entry, following nextCursor with pages of `limit`. */
export async function allAuditEntries(app: NestFastifyApplication, caller: TestCaller, query: Record<string, string> = {}, limit = 200): Promise<AuditItem[]> {
  const items: AuditItem[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: AuditItem[]; nextCursor: string | null } = await auditPage(app, caller, { ...query, limit: String(limit), ...(cursor === null ? {} : { cursor }) });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

export async function verifyChain(app: NestFastifyApplication, manager: TestCaller): Promise<ChainReport> {
  const response = await app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: manager.headers });
  if (response.statusCode !== 200) throw new Error(`GET /api/v1/audit/verify: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** Counts of entries per action, e.g. { 'document.uploaded': 2 }. */
export function countByAction(items: AuditItem[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item.action] = (counts[item.action] ?? 0) + 1;
  return counts;
}
