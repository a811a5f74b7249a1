import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configProblemsOf } from './config-problems';
import { loadConfig } from './config.loader';
import { BULKHEAD_POOL_DEFAULTS } from './bulkhead-pools';


describe('guard settings in the configuration', () => {
  it('sizes every bulkhead pool by default and lets BULKHEAD_POOLS override some', () => {
    expect(loadConfig({}).bulkheads).toEqual(BULKHEAD_POOL_DEFAULTS);
    const bulkheads = loadConfig({ BULKHEAD_POOLS: 'ofac=6/30/400,privacy=2/0/1000' }).bulkheads;
    expect(bulkheads.ofac).toEqual({ concurrent: 6, queue: 30, queueTimeoutMs: 400 });
    expect(bulkheads.privacy).toEqual({ concurrent: 2, queue: 0, queueTimeoutMs: 1000 });
    expect(bulkheads.risk).toEqual(BULKHEAD_POOL_DEFAULTS.risk);
  });

  it('rejects an unknown pool and a pool that could never run anything', () => {
    expect(configProblemsOf({ BULKHEAD_POOLS: 'payments=1/1/100' })).toEqual([expect.stringMatching(/^BULKHEAD_POOLS: names a pool that does not exist/)]);
    expect(configProblemsOf({ BULKHEAD_POOLS: 'ofac=0/1/100' })).toEqual([expect.stringMatching(/^BULKHEAD_POOLS: must look like/)]);
  });

  it('holds ADMIN_API_TOKEN to the secret rules in production, and reads it from a file like other secrets', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', JWT_SECRET: 'a'.repeat(40), WEBHOOK_SECRET: 'b'.repeat(40), STRIPE_WEBHOOK_SECRET: 'c'.repeat(40), ENCRYPTION_KEY: 'ab'.repeat(32) };
    expect(configProblemsOf({ ...production, ADMIN_API_TOKEN: 'changeme' })).toEqual([expect.stringMatching(/^ADMIN_API_TOKEN: looks like a placeholder/)]);
    expect(loadConfig({ ...production }).admin.token).toBeUndefined();
    const file = join(mkdtempSync(join(tmpdir(), 'admin-token-')), 'token');
    writeFileSync(file, `${'t'.repeat(40)}\n`);
    expect(loadConfig({ ...production, ADMIN_API_TOKEN_FILE: file }).admin.token).toBe('t'.repeat(40));
  });
});
