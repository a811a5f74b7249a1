import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { createCliLogger } from '../common/cli-logger';
import { loadConfig } from '../config/config.loader';
import { withCliDataSource } from '../database/cli-data-source';
import { FieldCipher } from './field-cipher';

const BATCH = 500;

/**
 * `npm run keys:rotate`: after ENCRYPTION_KEY is replaced (the old key moved to
 * ENCRYPTION_KEY_PREVIOUS), re-seals every EIN under the new key and recomputes its blind index,
 * a batch per transaction, logging progress. Safe to interrupt and re-run: it picks up the rows
 * still sealed under another key. Remove the old key from ENCRYPTION_KEY_PREVIOUS only after it
 * reports 0 remaining.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createCliLogger('keys-rotate');
  const cipher = new FieldCipher(new ConfigService(config));
  const sink = { log: (message: string) => log.info(message), warn: (message: string) => log.warn(message) };
  await withCliDataSource(config.database, sink, async (dataSource) => {
    const [{ remaining }] = (await dataSource.query('SELECT count(*)::int AS remaining FROM venue_verifications WHERE ein_key_id <> $1', [cipher.currentKeyId])) as Array<{ remaining: number }>;
    log.info({ remaining, keyId: cipher.currentKeyId }, `Re-encrypting ${remaining} EIN(s) under key ${cipher.currentKeyId}`);
    let done = 0;
    for (;;) {
      const rotated = await dataSource.transaction(async (tx) => {
        const rows = (await tx.query(
          'SELECT id, ein_ciphertext, ein_key_id FROM venue_verifications WHERE ein_key_id <> $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED',
          [cipher.currentKeyId, BATCH],
        )) as Array<{ id: string; ein_ciphertext: Buffer; ein_key_id: string }>;
        for (const row of rows) {
          const ein = cipher.open({ ciphertext: row.ein_ciphertext, keyId: row.ein_key_id });
          const sealed = cipher.seal(ein);
          await tx.query('UPDATE venue_verifications SET ein_ciphertext = $2, ein_key_id = $3, ein_hash = $4 WHERE id = $1', [row.id, sealed.ciphertext, sealed.keyId, cipher.blindIndex(ein)]);
        }
        return rows.length;
      });
      done += rotated;
      if (rotated === 0) break;
      log.info({ done, remaining: remaining - done }, `Re-encrypted ${done}/${remaining}`);
    }
    process.stdout.write(`Re-encrypted ${done} EIN(s); 0 remain under other keys\n`);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`keys:rotate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
