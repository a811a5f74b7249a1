import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import type { LogSink } from '../../../common/log-sink';
import { sendInTransaction } from '../../../jobs/transaction-job.sender';
import { listsKeyOf } from '../screening/sanctions-snapshot';
import { OfacSdnParser, type SanctionsListParseResult } from './ofac-sdn.parser';
import { OpenSanctionsTargetsParser } from './opensanctions-targets.parser';
import type { SanctionsSource } from './sanctions-list-entry.model';
import { SanctionsListFormatError } from './sanctions-list-format.error';
import { type ListVersionRow, SanctionsListRepository } from './sanctions-list.repository';
import { SANCTIONS_RESCREEN_JOB } from './sanctions-rescreen.job';

export interface SanctionsImportRequest {
  source: SanctionsSource;
  /** OFAC: the folder of sdn.csv, alt.csv, add.csv and sdn_comments.csv. OpenSanctions: the CSV file. */
  path: string;
  /** Who loaded it: the admin's user id, or `cli:<os user>`. */
  loadedBy: string;
}

export interface SanctionsImportOutcome {
  /** `unchanged`: the active version already has these exact files (same sha256); nothing was written. */
  status: 'imported' | 'unchanged';
  versionId: string;
  source: SanctionsSource;
  listName: string;
  checksum: string;
  entries: number;
  aliases: number;
  durationMs: number;
  prunedVersions: number;
}

interface Activated {
  outcome: SanctionsImportOutcome;
  rescreenJobId: string;
}

interface RawInput {
  file: string;
  listName: string;
  checksum: string;
  parse: () => SanctionsListParseResult;
}

/**
 * Loads a list file into a new version beside the active one, then activates it, all in one
 * transaction: a malformed file fails in the parser before anything is written, and a failure while
 * loading rolls back, so the active list is never touched by a bad import. Re-importing the files
 * of the active version is a no-op (sha256 of the input). Used by `npm run sanctions:import` and by
 * `POST /api/v1/sanctions/imports`.
 *
 * The same transaction enqueues the `sanctions-rescreen` job for the new lists. Chosen over having
 * each instance enqueue when its poll notices the new version (deduplicated by a job id derived
 * from the version key): the job exists exactly when the activation commits, once however many
 * replicas run, including when none runs (a CLI import during an outage, or before the first
 * deploy), with no dedup window to outlive and no boot-time guess whether a version is new.
 */
export class SanctionsListImporter {
  private readonly repository = new SanctionsListRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: LogSink,
  ) {}

  async import(request: SanctionsImportRequest): Promise<SanctionsImportOutcome> {
    const startedAt = performance.now();
    const elapsed = (): number => Math.round(performance.now() - startedAt);
    const input = await this.read(request);
    // The checksum is known before parsing (~2 s for the SDN files): an identical re-import stops here.
    const current = await this.activeVersion(this.dataSource.manager, request.source);
    if (current?.checksum === input.checksum) return this.unchanged(request.source, current, elapsed());
    const { entries, counts } = nonEmpty(input.parse(), input.file);
    const aliases = entries.reduce((sum, entry) => sum + entry.aliases.length, 0);
    this.log.log(`sanctions import ${request.source}: parsed ${entries.length} entries, ${aliases} aliases in ${elapsed()} ms (sha256 ${input.checksum.slice(0, 12)}…)`);
    const result = await this.dataSource.transaction(async (tx): Promise<Activated | ListVersionRow> => {
      await this.repository.lockSource(tx, request.source);
      // Another import of the same files may have won the race while this one parsed.
      const active = await this.activeVersion(tx, request.source);
      if (active?.checksum === input.checksum) return active;
      const versionId = await this.repository.insertVersion(tx, {
        source: request.source, listName: input.listName, checksum: input.checksum, entryCount: entries.length, aliasCount: aliases, counts, loadedBy: request.loadedBy,
      });
      await this.repository.insertEntries(tx, versionId, entries, (done) => this.log.log(`sanctions import ${request.source}: stored ${done}/${entries.length} entries (${elapsed()} ms)`));
      await this.repository.activate(tx, request.source, versionId);
      const prunedVersions = await this.repository.pruneOldVersions(tx, request.source);
      await this.repository.lockActivations(tx);
      const rescreenJobId = await sendInTransaction(tx, SANCTIONS_RESCREEN_JOB, { listVersionKey: listsKeyOf(await this.repository.activeVersions(tx)) });
      const outcome: SanctionsImportOutcome = {
        status: 'imported', versionId, source: request.source, listName: input.listName, checksum: input.checksum,
        entries: entries.length, aliases, durationMs: elapsed(), prunedVersions,
      };
      return { outcome, rescreenJobId };
    });
    if (!('outcome' in result)) return this.unchanged(request.source, result, elapsed());
    const { outcome, rescreenJobId } = result;
    this.log.log(`sanctions import ${request.source}: activated version ${outcome.versionId} with ${outcome.entries} entries in ${outcome.durationMs} ms; job ${rescreenJobId} re-screens every tenant`);
    return outcome;
  }

  private async activeVersion(db: EntityManager, source: SanctionsSource): Promise<ListVersionRow | undefined> {
    return (await this.repository.activeVersions(db)).find((version) => version.source === source);
  }

  private unchanged(source: SanctionsSource, active: ListVersionRow, durationMs: number): SanctionsImportOutcome {
    this.log.log(`sanctions import ${source}: identical to active version ${active.id}; nothing changed (${durationMs} ms)`);
    return {
      status: 'unchanged', versionId: active.id, source, listName: active.list_name, checksum: active.checksum,
      entries: active.entry_count, aliases: active.alias_count, durationMs, prunedVersions: 0,
    };
  }

  /** Reads the input and hashes it; parsing waits until we know the list is new. */
  private async read(request: SanctionsImportRequest): Promise<RawInput> {
    if (request.source === 'ofac_sdn') {
      const parser = new OfacSdnParser();
      const files = await parser.readDirectory(request.path);
      const checksum = sha256Of([['sdn.csv', files.sdn], ['alt.csv', files.alt], ['add.csv', files.add], ['sdn_comments.csv', files.comments]]);
      return { file: 'sdn.csv', listName: OfacSdnParser.LIST, checksum, parse: () => parser.parse(files) };
    }
    const file = basename(request.path);
    let text: string;
    try {
      text = await readFile(request.path, 'utf8');
    } catch (error: unknown) {
      throw new SanctionsListFormatError(file, 0, `cannot read: ${(error as Error).message}`);
    }
    return { file, listName: 'opensanctions', checksum: sha256Of([[file, text]]), parse: () => new OpenSanctionsTargetsParser().parse(text, file) };
  }
}

/** An empty file parses cleanly but would empty the list: refuse it like any other bad file. */
function nonEmpty(result: SanctionsListParseResult, file: string): SanctionsListParseResult {
  if (result.entries.length === 0) throw new SanctionsListFormatError(file, 0, 'no entries: refusing to replace the active list with an empty one');
  return result;
}

/** Over file names and contents in a fixed order, so the same files give the same checksum. */
function sha256Of(files: Array<[string, string]>): string {
  const hash = createHash('sha256');
  for (const [name, content] of files) hash.update(name).update('\0').update(content).update('\0');
  return hash.digest('hex');
}
