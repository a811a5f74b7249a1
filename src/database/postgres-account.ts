import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
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
  if (!accountExists()) {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', ACCOUNT_NAME], { stdio: 'pipe' });
  }
  const id = (flag: string) => execFileSync('id', [flag, ACCOUNT_NAME], { encoding: 'utf8' }).trim();
  return { uid: Number(id('-u')), gid: Number(id('-g')) };
}

function accountExists(): boolean {
  try {
    execFileSync('id', ['-u', ACCOUNT_NAME], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
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
