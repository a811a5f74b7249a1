import { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { FieldCipher } from '../../src/crypto/field-cipher';
import { runCompiled } from '../helpers/cli';
import { startTestApp, TEST_SECRETS, testConfig } from '../helpers/test-app';
import { scratchDatabase } from '../helpers/test-database';
import { callerOf } from '../helpers/tokens';
import { startVerification } from '../helpers/venue-flow';

describe('compliance command-line tools', () => {
  let database: { url: string; drop: () => Promise<void> };
  let app: NestFastifyApplication;
  let client: Client;

  beforeAll(async () => {
    database = await scratchDatabase('cli');
    const migrated = await runCompiled('database/migration.cli.js', ['run'], { DATABASE_URL: database.url, LOG_LEVEL: 'warn' });
    expect(migrated.code).toBe(0);
    app = await startTestApp({ DATABASE_URL: database.url });
    client = new Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await app.close();
    await database.drop();
  });

  it('npm run token mints a development token the API accepts, and refuses in production', async () => {
    const tenantId = randomUUID();
    const minted = await runCompiled('auth/token.cli.js', ['--role', 'compliance_officer', '--tenant', tenantId], { JWT_SECRET: TEST_SECRETS.JWT_SECRET, NODE_ENV: 'development' });
    expect(minted.code).toBe(0);
    const response = await app.inject({ method: 'GET', url: '/api/v1/review-queue', headers: { authorization: `Bearer ${minted.stdout.trim()}` } });
    expect(response.statusCode).toBe(200);

    const refused = await runCompiled('auth/token.cli.js', ['--role', 'admin'], { ...TEST_SECRETS, NODE_ENV: 'production', DATABASE_URL: database.url });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('development tokens only');
  });

  it('keys:rotate re-seals every EIN under the new key, which still opens them', async () => {
    const officer = await callerOf(['compliance_officer']);
    await startVerification(app, officer, 'venue-rotate');
    const newKey = randomBytes(32).toString('base64');
    const rotated = await runCompiled('crypto/keys-rotate.cli.js', [], {
      ...TEST_SECRETS,
      DATABASE_URL: database.url,
      ENCRYPTION_KEY: newKey,
      ENCRYPTION_KEY_PREVIOUS: TEST_SECRETS.ENCRYPTION_KEY,
    });
    expect(rotated.stderr).not.toContain('failed');
    expect(rotated.code).toBe(0);
    const cipher = new FieldCipher(new ConfigService(testConfig({ DATABASE_URL: database.url, ENCRYPTION_KEY: newKey })));
    const { rows } = await client.query<{ ein_ciphertext: Buffer; ein_key_id: string }>("SELECT ein_ciphertext, ein_key_id FROM venue_verifications WHERE venue_id = 'venue-rotate'");
    expect(rows[0]?.ein_key_id).toBe(cipher.currentKeyId);
    expect(cipher.open({ ciphertext: rows[0]?.ein_ciphertext as Buffer, keyId: rows[0]?.ein_key_id as string })).toBe('12-3456789');
    const again = await runCompiled('crypto/keys-rotate.cli.js', [], { ...TEST_SECRETS, DATABASE_URL: database.url, ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_PREVIOUS: TEST_SECRETS.ENCRYPTION_KEY });
    expect(again.stdout).toContain('Re-encrypted 0 EIN(s)');
  });

  it('audit:verify passes an intact chain and names the first row edited behind the trigger', async () => {
    const officer = await callerOf(['compliance_officer']);
    await startVerification(app, officer, 'venue-audit-1');
    await startVerification(app, officer, 'venue-audit-2');
    const intact = await runCompiled('modules/audit/audit-verify.cli.js', ['--tenant', officer.tenantId], { DATABASE_URL: database.url });
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain(`intact  ${officer.tenantId}  2 entries`);

    await client.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await client.query(`UPDATE audit_log SET after_state = '{"state":"verified"}' WHERE tenant_id = $1 AND seq = 1`, [officer.tenantId]);
    await client.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    const broken = await runCompiled('modules/audit/audit-verify.cli.js', [], { DATABASE_URL: database.url });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`BROKEN  ${officer.tenantId}  at seq 1`);
  });
});
