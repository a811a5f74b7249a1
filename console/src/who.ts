import { api, ok } from './api';
import type { components } from './generated/openapi';

export type Role = 'admin' | 'compliance_manager' | 'compliance_officer' | 'venue_owner' | 'service';

export interface Caller {
  userId: string;
  tenantId: string;
  roles: Role[];
  venueIds: string[];
}

let current: Caller | null = null;

/** Who the API says the caller is (GET /api/v1/me): what pages and buttons to show. */
export async function whoAmI(): Promise<Caller> {
  current = (await ok(api.GET('/api/v1/me'))) as Caller;
  return current;
}

export function caller(): Caller | null {
  return current;
}

export function forget(): void {
  current = null;
}

/** Buttons the caller's roles cannot use are not shown (the API refuses them anyway). */
export function can(...roles: Role[]): boolean {
  return current !== null && current.roles.some((role) => roles.includes(role));
}

export const OFFICERS: Role[] = ['compliance_officer', 'compliance_manager', 'admin'];

export type Problem = components['schemas']['Problem'];
