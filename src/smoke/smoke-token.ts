import { decodeJwt } from 'jose';
import { mintToken } from '../auth/token-minter';
import type { AppConfig } from '../config/app-config';

/** The smoke suite's caller in the smoke tenant: enough for screening, payout eligibility and audit verification. */
const SMOKE_ROLES = ['compliance_manager'] as const;
const MINTED_LIFETIME_SECONDS = 600;

/** Why the smoke suite cannot start: usage and configuration, not a failed check. */
export class SmokeSetupError extends Error {}

/**
 * SMOKE_TOKEN when set, else a short-lived token minted from JWT_SECRET outside staging and
 * production. A token for any other tenant is refused: screenings are stored, and the smoke suite
 * may write only in the smoke tenant.
 */
export async function smokeToken(config: Pick<AppConfig, 'environment' | 'smoke' | 'auth' | 'secrets'>): Promise<string> {
  const { token, tenantId } = config.smoke;
  if (token !== undefined) {
    let claimed: unknown;
    try {
      claimed = decodeJwt(token).tenant_id;
    } catch {
      throw new SmokeSetupError('SMOKE_TOKEN is not a JWT');
    }
    if (claimed !== tenantId) throw new SmokeSetupError(`SMOKE_TOKEN is for tenant ${String(claimed)}, not the smoke tenant ${tenantId} (SMOKE_TENANT_ID): the smoke suite writes only there`);
    return token;
  }
  if (config.environment === 'staging' || config.environment === 'production') {
    throw new SmokeSetupError(`SMOKE_TOKEN is required when NODE_ENV is ${config.environment}: a token for tenant ${tenantId} with role ${SMOKE_ROLES.join(', ')} from the identity provider`);
  }
  return mintToken(config.auth, config.secrets.jwtSecret, { subject: 'smoke-suite', tenantId, roles: [...SMOKE_ROLES], expiresInSeconds: MINTED_LIFETIME_SECONDS });
}
