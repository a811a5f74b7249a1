import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The unprivileged account the embedded server runs as when we are root (PostgreSQL refuses root). */
export interface PostgresAccount {
  uid: number;
  /** Its primary group: Node (libuv) drops supplementary groups when it spawns as another user. */
  gid: number;
}

const ACCOUNT_NAME = 'postgres';

/** The `postgres` system account, created (as a system user without a login shell) if missing. */
export function postgresAccount(): PostgresAccount {
  const existing = accountFromPasswd();
  if (existing !== undefined) return existing;
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', ACCOUNT_NAME], { stdio: 'pipe' });
  const created = accountFromPasswd();
  if (created === undefined) throw new Error(`useradd did not create the ${ACCOUNT_NAME} account`);
  return created;
}

/** Read from /etc/passwd rather than by running `id`: each process spawned costs start-up time. */
function accountFromPasswd(): PostgresAccount | undefined {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith(`${ACCOUNT_NAME}:`));
  if (line === undefined) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Whether `account` may pass through every folder from `/` down to `path` (the search bit for it
 * as owner, group member or other). ACLs are not read: a folder an ACL opens counts as closed,
 * which only makes us take the detour through the temp folder.
 */
export function accountCanReach(path: string, account: PostgresAccount): boolean {
  for (let folder = resolve(path); ; folder = dirname(folder)) {
    const { mode, uid, gid } = statSync(folder);
    const searchBit = uid === account.uid ? 0o100 : gid === account.gid ? 0o010 : 0o001;
    if ((mode & searchBit) === 0) return false;
    if (folder === dirname(folder)) return true;
  }
}
