import { OFFICER_ROLES } from '../../auth/roles';
import { ResourceNotFoundError } from '../../common/not-found.error';
import type { RequestPrincipal } from '../../common/request-principal';

/**
 * A venue owner acts only for the venues its token lists; for anything of another venue it gets
 * the same 404 as for something that does not exist. Officers and services act for every venue
 * of their tenant (row-level security keeps other tenants out).
 */
export function canAccessVenue(principal: RequestPrincipal, venueId: string): boolean {
  return principal.roles.some((role) => role === 'service' || OFFICER_ROLES.includes(role)) || principal.venueIds.includes(venueId);
}

export function assertVenueAccess(principal: RequestPrincipal, venueId: string): void {
  if (!canAccessVenue(principal, venueId)) throw new ResourceNotFoundError('venue', venueId);
}
