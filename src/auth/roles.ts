/** The roles a token may carry; see the README's "Callers and roles" for what each may do. */
export const ROLES = ['admin', 'compliance_manager', 'compliance_officer', 'venue_owner', 'service'] as const;
export type Role = (typeof ROLES)[number];

/** People who review and decide verifications and documents. */
export const OFFICER_ROLES: readonly Role[] = ['compliance_officer', 'compliance_manager', 'admin'];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
