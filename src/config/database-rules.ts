import { readFileSync } from 'node:fs';
import type { DatabaseConfig } from './app-config';

/**
 * Rules across the database variables, checked on the raw values so their problems are listed
 * together with every other one. Returns the CA bundle `verify-full` needs, read once here.
 */
export function checkDatabaseSettings(env: Record<string, string | undefined>, environment: string, problems: string[]): DatabaseConfig['sslCa'] {
  if ((environment === 'production' || environment === 'staging') && env.DATABASE_URL === undefined) {
    // The image does not even contain the embedded server (it is an optional dependency).
    problems.push(`DATABASE_URL: required in ${environment} (the embedded database is for local development and tests only)`);
  }
  if (env.MIGRATION_DATABASE_URL !== undefined && env.DATABASE_URL === undefined) {
    problems.push('MIGRATION_DATABASE_URL: set DATABASE_URL too (without it the embedded database is used for everything)');
  }
  return readCaBundle(env.DATABASE_SSL, env.DATABASE_SSL_CA_FILE, problems);
}

/**
 * `verify-full` needs the CA the server's certificate chains to. Node's built-in list (Mozilla's)
 * does not contain private CAs such as Amazon RDS's, so falling back to it would only move the
 * failure from start-up configuration to the first connection: the CA file is required instead.
 */
function readCaBundle(mode: string | undefined, path: string | undefined, problems: string[]): DatabaseConfig['sslCa'] {
  if (mode !== 'verify-full') {
    if (path !== undefined) problems.push(`DATABASE_SSL_CA_FILE: only used with DATABASE_SSL=verify-full (DATABASE_SSL is ${mode ?? 'disable'})`);
    return undefined;
  }
  if (path === undefined) {
    problems.push('DATABASE_SSL_CA_FILE: required with DATABASE_SSL=verify-full (the CA bundle that signed the server certificate, e.g. the RDS global bundle)');
    return undefined;
  }
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
    problems.push(`DATABASE_SSL_CA_FILE: cannot read ${path} (${reason})`);
    return undefined;
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    problems.push(`DATABASE_SSL_CA_FILE: ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    return undefined;
  }
  return { path, pem };
}
