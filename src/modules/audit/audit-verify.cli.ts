import 'reflect-metadata';
import { createCliLogger } from '../../common/cli-logger';
import { loadConfig } from '../../config/config.loader';
import { withCliDataSource } from '../../database/cli-data-source';
import { verifyAuditChain } from './audit-chain.verifier';
import { AuditRepository } from './audit.repository';

/**
 * `npm run audit:verify [-- --tenant <id>]`: walks every tenant's audit hash chain (or one) in one
 * snapshot and prints each result; exits 1 naming the first broken link when any chain is broken.
 */
async function main(): Promise<number> {
  const config = loadConfig(process.env, { requireSecrets: false });
  const log = createCliLogger('audit-verify');
  const tenantIndex = process.argv.indexOf('--tenant');
  const only = tenantIndex > 0 ? process.argv[tenantIndex + 1] : undefined;
  const sink = { log: (message: string) => log.info(message), warn: (message: string) => log.warn(message) };
  return withCliDataSource(config.database, sink, (dataSource) =>
    dataSource.transaction('REPEATABLE READ', async (tx) => {
      const repository = new AuditRepository();
      const tenants = only === undefined ? await repository.chainedTenants(tx) : [only];
      let broken = 0;
      for (const tenantId of tenants) {
        const result = await verifyAuditChain(repository, tx, tenantId);
        if (result.intact) {
          process.stdout.write(`intact  ${tenantId}  ${result.checked} entries\n`);
        } else {
          broken += 1;
          process.stdout.write(`BROKEN  ${tenantId}  at seq ${result.firstBroken?.seq} (row ${result.firstBroken?.id || '-'}): ${result.firstBroken?.reason}\n`);
        }
      }
      process.stdout.write(`${tenants.length} chain(s) checked, ${broken} broken\n`);
      return broken === 0 ? 0 : 1;
    }),
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit:verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
