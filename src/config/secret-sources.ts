import { readFileSync } from 'node:fs';

export const SECRET_NAMES = [
  'DATABASE_URL',
  'MIGRATION_DATABASE_URL',
  'REDIS_URL',
  'JWT_SECRET',
  'WEBHOOK_SECRET',
  'STRIPE_WEBHOOK_SECRET',
  'ADMIN_API_TOKEN',
  'JWT_SECRET_PREVIOUS',
  'WEBHOOK_SECRET_PREVIOUS',
  'ENCRYPTION_KEY',
  'ENCRYPTION_KEY_PREVIOUS',
  'SANCTIONS_SOURCE_URL',
  'SENTRY_DSN',
] as const;

export type SecretName = (typeof SECRET_NAMES)[number];

/**
 * Resolves every secret from `NAME` or `NAME_FILE` (a mounted Kubernetes secret). Returns the
 * environment with the file contents in place of the `_FILE` variables, plus the problems found.
 */
export function resolveSecretFiles(env: NodeJS.ProcessEnv): {
  env: Record<string, string | undefined>;
  problems: string[];
} {
  const resolved: Record<string, string | undefined> = { ...env };
  const problems: string[] = [];
  for (const name of SECRET_NAMES) {
    const filePath = env[`${name}_FILE`];
    if (filePath === undefined || filePath === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      problems.push(`${name}: set both ${name} and ${name}_FILE; set only one`);
      continue;
    }
    try {
      // Secret files written by editors or `echo` end in a newline that is not part of the value.
      const value = readFileSync(filePath, 'utf8').replace(/\r?\n$/, '');
      // Empty counts as unset, like an empty variable: an empty SENTRY_DSN property switches error tracking off.
      if (value !== '') resolved[name] = value;
    } catch (error) {
      const reason = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
      problems.push(`${name}_FILE: cannot read ${filePath} (${reason})`);
    }
  }
  return { env: resolved, problems };
}
