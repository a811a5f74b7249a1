import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import type { RequestPrincipal } from '../../../common/request-principal';
import type { AppConfig } from '../../../config/app-config';
import { TenantTransactions } from '../../../database/tenant-transaction';
import { AuditService } from '../../audit/audit.service';
import type { ImportRequest } from '../dto/screening.dto';
import { ImportPathOutsideFolderError, SanctionsImportsDisabledError } from '../sanctions.errors';
import { ActiveSanctionsLists } from '../screening/active-sanctions-lists';
import { type SanctionsImportOutcome, type SanctionsImportRequest, SanctionsListImporter } from './sanctions-list.importer';
import { SANCTIONS_SOURCES } from './sanctions-list-entry.model';
import { SanctionsListFormatError } from './sanctions-list-format.error';
import { IMPORT_FAILED, SANCTIONS_LIST_IMPORT_DURATION } from './sanctions-list.metrics';

/**
 * Imports inside the app: the admin endpoint's, restricted to files under SANCTIONS_IMPORT_DIR (a
 * mounted volume the list fetcher writes to), never a path the caller chooses freely, and the
 * `sanctions-list-refresh` job's download. The same importer as the CLI. This instance indexes a
 * new version at once; the others within a poll interval.
 */
@Injectable()
export class SanctionsImportsService {
  private readonly importer: SanctionsListImporter;
  private readonly importDir: string | undefined;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly lists: ActiveSanctionsLists,
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
    @InjectMetric(SANCTIONS_LIST_IMPORT_DURATION) private readonly duration: Histogram<'source' | 'status'>,
    config: ConfigService<AppConfig, true>,
  ) {
    const logger = new Logger('SanctionsImport');
    this.importer = new SanctionsListImporter(dataSource, { log: (message) => logger.log(message), warn: (message) => logger.warn(message) });
    this.importDir = config.get('sanctions', { infer: true }).importDir;
    // A first failure must show as an increase from 0 (the import-failed alert), not as a new series.
    for (const source of SANCTIONS_SOURCES) duration.zero({ source, status: IMPORT_FAILED });
  }

  async import(principal: RequestPrincipal, request: ImportRequest): Promise<SanctionsImportOutcome> {
    if (this.importDir === undefined) throw new SanctionsImportsDisabledError();
    const path = await this.insideImportDir(this.importDir, request.source === 'ofac' ? request.dir : request.file);
    const outcome = await this.importFiles({ source: request.source === 'ofac' ? 'ofac_sdn' : 'opensanctions', path, loadedBy: principal.userId });
    // The lists are global; the import is recorded in the importing admin's tenant chain.
    await this.transactions.withTenantTransaction(principal, (tx) =>
      this.audit.record(tx, { action: `sanctions_list.${outcome.status}`, resourceType: 'sanctions_list_version', resourceId: outcome.versionId, after: { ...outcome } }),
    );
    return outcome;
  }

  /** Files this process wrote itself (no folder check): the refresh job's download. Not audited: no tenant asked for it. */
  async importFiles(request: SanctionsImportRequest): Promise<SanctionsImportOutcome> {
    const timer = this.duration.startTimer({ source: request.source });
    let outcome: SanctionsImportOutcome;
    try {
      outcome = await this.importer.import(request);
    } catch (error) {
      timer({ status: IMPORT_FAILED });
      throw error;
    }
    timer({ status: outcome.status });
    if (outcome.status === 'imported') await this.lists.refresh();
    return outcome;
  }

  /** Resolves symlinks too: a link inside the folder pointing elsewhere is outside it. */
  private async insideImportDir(root: string, requested: string): Promise<string> {
    const base = await realpath(root);
    let target: string;
    try {
      target = await realpath(resolve(base, requested));
    } catch {
      throw new SanctionsListFormatError(requested, 0, 'no such file or folder in the import folder');
    }
    const relation = relative(base, target);
    if (relation.startsWith('..') || isAbsolute(relation)) throw new ImportPathOutsideFolderError(requested);
    return target;
  }
}
