import PgBoss from 'pg-boss';
import { PG_BOSS_SCHEMA, PG_BOSS_SCHEMA_VERSION } from '../../migrations/1796200000000-InstallPgBoss';

const installed = require('pg-boss/version.json') as { schema: number };

/** Compared without whitespace and SQL comments (the migration adds squawk's). */
const normalized = (sql: string) => sql.replace(/--[^\n]*\n/g, '').replace(/\s+/g, ' ').replace(/\s*;\s*/g, ';').replace(/;+/g, ';').trim();

describe('the pg-boss schema our migration installs', () => {
  it('is the schema version of the installed pg-boss: upgrading pg-boss needs a migration with its getMigrationPlans', () => {
    expect(installed.schema).toBe(PG_BOSS_SCHEMA_VERSION);
  });

  it('is pg-boss\'s construction plan without its transaction and advisory lock', () => {
    const plan = normalized(PgBoss.getConstructionPlans('pgboss'));
    const body = plan.slice(plan.indexOf('CREATE SCHEMA'), plan.lastIndexOf('COMMIT;'));
    expect(normalized(PG_BOSS_SCHEMA.map((statement) => `${statement};`).join('\n'))).toBe(body);
  });
});
