import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ConfigValidationError, loadConfig } from '../config/config.loader';
import { isRole, ROLES } from './roles';
import { mintToken } from './token-minter';

const USAGE = `Usage: npm run token -- --role <${ROLES.join('|')}> [--role …] [--tenant <uuid>] [--venue <id> …] [--sub <name>] [--hours <n>]
Prints a development bearer token signed with JWT_SECRET (refused when NODE_ENV is staging or production).`;

/** `npm run token`: one step from a fresh checkout to calling the API (see the README's curl session). */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      tenant: { type: 'string' },
      venue: { type: 'string', multiple: true },
      sub: { type: 'string' },
      hours: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) return void process.stdout.write(`${USAGE}\n`);
  const config = loadConfig(process.env, { requireSecrets: false });
  if (config.environment === 'staging' || config.environment === 'production') {
    throw new Error(`npm run token mints development tokens only; NODE_ENV is ${config.environment}. Tokens there come from the platform's identity provider.`);
  }
  const roles = values.role ?? [];
  const unknown = roles.filter((role) => !isRole(role));
  if (roles.length === 0 || unknown.length > 0) throw new Error(`${unknown.length > 0 ? `Unknown role ${unknown.join(', ')}. ` : ''}${USAGE}`);
  const tenantId = values.tenant ?? randomUUID();
  const hours = Number(values.hours ?? '12');
  const token = await mintToken(config.auth, config.secrets.jwtSecret, {
    subject: values.sub ?? `dev-${roles[0]}`,
    tenantId,
    roles: roles.filter(isRole),
    venueIds: values.venue,
    expiresInSeconds: Math.round(hours * 3600),
  });
  process.stderr.write(`tenant ${tenantId}, roles ${roles.join(', ')}, valid ${hours} h\n`);
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigValidationError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
