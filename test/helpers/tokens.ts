import { randomUUID } from 'node:crypto';
import type { Role } from '../../src/auth/roles';
import { mintToken } from '../../src/auth/token-minter';
import { TEST_SECRETS } from './test-app';

/** The issuer and audience test apps run with (the config defaults). */
export const TEST_AUTH = { issuer: 'ticketing-platform', audience: 'compliance-service' };

export interface TestCaller {
  tenantId: string;
  userId: string;
  token: string;
  headers: { authorization: string };
}

/** A caller of one tenant with the given roles, signed with the test JWT_SECRET. */
export async function callerOf(roles: Role[], options: { tenantId?: string; userId?: string; venueIds?: string[]; expiresInSeconds?: number } = {}): Promise<TestCaller> {
  const tenantId = options.tenantId ?? randomUUID();
  const userId = options.userId ?? `${roles[0] ?? 'user'}-${randomUUID().slice(0, 8)}`;
  const token = await mintToken(TEST_AUTH, TEST_SECRETS.JWT_SECRET, { subject: userId, tenantId, roles, venueIds: options.venueIds, expiresInSeconds: options.expiresInSeconds });
  return { tenantId, userId, token, headers: { authorization: `Bearer ${token}` } };
}
