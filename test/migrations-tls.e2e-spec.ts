import { chmodSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config.loader';
import { explainConnectionFailure } from '../src/database/connection-failure';
import { buildDataSourceOptions } from '../src/database/data-source.options';
import { runCompiled } from './helpers/cli';
import { makeTestCertificates, type TestCertificates } from './helpers/test-certificates';
import { ThrowawayPostgres } from './helpers/throwaway-postgres';

const SILENT = { log: () => undefined, warn: () => undefined };

/** A PostgreSQL with TLS on, its certificate for localhost/127.0.0.1 signed by a CA this file makes. */
describe('database TLS (DATABASE_SSL, DATABASE_SSL_CA_FILE)', () => {
  let server: ThrowawayPostgres;
  let certificates: TestCertificates;

  beforeAll(async () => {
    server = await ThrowawayPostgres.start({ listen_addresses: '127.0.0.1,127.0.0.2', ssl: 'on' }, (folder) => {
      certificates = makeTestCertificates(folder);
      // PostgreSQL refuses a key file others can read.
      chmodSync(certificates.serverKeyFile, 0o600);
      return { ssl_cert_file: certificates.serverCertFile, ssl_key_file: certificates.serverKeyFile };
    });
  }, 60_000); // initdb and openssl on a loaded 2-core machine
  afterAll(() => server?.stop());

  async function sslInUse(env: Record<string, string>): Promise<boolean> {
    const config = loadConfig({ NODE_ENV: 'test', ...env }, { requireSecrets: false });
    const dataSource = new DataSource(buildDataSourceOptions(config.database, config.database.url as string, { role: 'app', log: SILENT }));
    await dataSource.initialize();
    try {
      const [{ ssl }] = (await dataSource.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')) as Array<{ ssl: boolean }>;
      return ssl;
    } finally {
      await dataSource.destroy();
    }
  }

  async function connectionFailure(env: Record<string, string>): Promise<string> {
    const config = loadConfig({ NODE_ENV: 'test', ...env }, { requireSecrets: false });
    return sslInUse(env).then(
      () => 'connected',
      (error: unknown) => explainConnectionFailure(error, config.database),
    );
  }

  it('verify-full connects, encrypted, when the certificate chains to DATABASE_SSL_CA_FILE and names the host', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      await expect(sslInUse({ DATABASE_URL: server.url(host), DATABASE_SSL: 'verify-full', DATABASE_SSL_CA_FILE: certificates.caFile })).resolves.toBe(true);
    }
  });

  it('verify-full refuses a server whose certificate another CA signed, saying which CA file it checked', async () => {
    const result = await runCompiled('database/migration.cli.js', ['status'], {
      DATABASE_URL: server.url(),
      DATABASE_SSL: 'verify-full',
      DATABASE_SSL_CA_FILE: certificates.otherCaFile,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`could not be verified against the CA bundle ${certificates.otherCaFile} (DATABASE_SSL=verify-full)`);
  });

  it('verify-full refuses a host name the certificate does not name', async () => {
    const failure = await connectionFailure({ DATABASE_URL: server.url('127.0.0.2'), DATABASE_SSL: 'verify-full', DATABASE_SSL_CA_FILE: certificates.caFile });
    expect(failure).toContain('certificate is not valid for the host in the database URL (DATABASE_SSL=verify-full)');
    expect(failure).toContain("IP: 127.0.0.2 is not in the cert's list: 127.0.0.1");
  });

  it('require encrypts without verifying: it connects to a server no configured CA vouches for', async () => {
    await expect(sslInUse({ DATABASE_URL: server.url('127.0.0.2'), DATABASE_SSL: 'require' })).resolves.toBe(true);
  });
});
