import { decodeJwt, jwtVerify } from 'jose';
import { mintToken } from '../auth/token-minter';
import { loadConfig } from '../config/config.loader';
import { DEFAULT_SMOKE_TENANT_ID } from '../config/env.schema';
import { SmokeSetupError, smokeToken } from './smoke-token';

const SECRET = 'smoke-spec-jwt-secret-0123456789abcdef0123';
const OTHER_TENANT = '11111111-1111-4111-8111-111111111111';
const configOf = (env: NodeJS.ProcessEnv) => loadConfig({ JWT_SECRET: SECRET, ...env }, { requireSecrets: false });
const tokenFor = (tenantId: string) => mintToken({ issuer: 'ticketing-platform', audience: 'compliance-service' }, SECRET, { subject: 'smoke', tenantId, roles: ['compliance_manager'] });

describe('smokeToken', () => {
  it('mints a short-lived compliance_manager token for the smoke tenant outside staging and production', async () => {
    const config = configOf({});
    const token = await smokeToken(config);
    const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), { issuer: config.auth.issuer, audience: config.auth.audience });
    expect(payload).toMatchObject({ sub: 'smoke-suite', tenant_id: DEFAULT_SMOKE_TENANT_ID, roles: ['compliance_manager'] });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(600);
  });

  it('mints for the tenant SMOKE_TENANT_ID names', async () => {
    expect(decodeJwt(await smokeToken(configOf({ SMOKE_TENANT_ID: OTHER_TENANT }))).tenant_id).toBe(OTHER_TENANT);
  });

  it.each(['staging', 'production'])('refuses to mint when NODE_ENV is %s, asking for SMOKE_TOKEN', async (environment) => {
    const config = { ...configOf({}), environment: environment as 'staging' | 'production' };
    await expect(smokeToken(config)).rejects.toThrow(new SmokeSetupError(`SMOKE_TOKEN is required when NODE_ENV is ${environment}: a token for tenant ${DEFAULT_SMOKE_TENANT_ID} with role compliance_manager from the identity provider`));
  });

  it('uses SMOKE_TOKEN as given when it is for the smoke tenant', async () => {
    const given = await tokenFor(DEFAULT_SMOKE_TENANT_ID);
    await expect(smokeToken({ ...configOf({ SMOKE_TOKEN: given }), environment: 'production' })).resolves.toBe(given);
  });

  it('refuses a SMOKE_TOKEN of another tenant, and one that is not a JWT', async () => {
    await expect(smokeToken(configOf({ SMOKE_TOKEN: await tokenFor(OTHER_TENANT) }))).rejects.toThrow(`SMOKE_TOKEN is for tenant ${OTHER_TENANT}, not the smoke tenant ${DEFAULT_SMOKE_TENANT_ID}`);
    await expect(smokeToken(configOf({ SMOKE_TOKEN: 'not-a-token' }))).rejects.toThrow('SMOKE_TOKEN is not a JWT');
  });
});
