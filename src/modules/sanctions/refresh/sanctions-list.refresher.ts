import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig, SanctionsSourceConfig } from '../../../config/app-config';
import type { JobProgress } from '../../../jobs/job-definition';
import { SanctionsImportsService } from '../lists/sanctions-imports.service';
import type { SanctionsImportOutcome } from '../lists/sanctions-list.importer';
import { SanctionsSourceDownloader } from './sanctions-source.downloader';

/** OFAC's legacy SDN CSV publication: the four files the importer reads from one folder. */
const OFAC_FILES = ['sdn.csv', 'alt.csv', 'add.csv', 'sdn_comments.csv'] as const;
/**
 * The importer's checksum covers the file name: the download always gets the name OpenSanctions
 * publishes, so a CLI import of the same file and a refresh agree that nothing changed.
 */
const OPENSANCTIONS_FILE = 'targets.simple.csv';
const REFRESH_LOADED_BY = 'job:sanctions-list-refresh';

/**
 * The scheduled import (issue 11, "a scheduled job with a configurable source URL, off by
 * default"): downloads the configured source into a temporary folder, hands it to the same
 * importer as the CLI and the admin endpoint (identical files are the importer's checksum no-op;
 * a bad file leaves the active list as it was), and removes the folder whatever happened.
 */
@Injectable()
export class SanctionsListRefresher {
  private readonly logger = new Logger('SanctionsListRefresh');
  private readonly source: SanctionsSourceConfig | undefined;

  constructor(
    private readonly downloader: SanctionsSourceDownloader,
    private readonly imports: SanctionsImportsService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.source = config.get('sanctions', { infer: true }).source;
  }

  /** Undefined when no source is configured: a run then does nothing (a schedule left from an earlier configuration, or a manual run). */
  async refresh(progress: (counts: JobProgress) => Promise<void>): Promise<SanctionsImportOutcome | undefined> {
    const source = this.source;
    if (source === undefined) {
      this.logger.warn('sanctions-list-refresh skipped: SANCTIONS_SOURCE_URL is not set');
      await progress({ skipped: 1 });
      return undefined;
    }
    const folder = await mkdtemp(join(tmpdir(), 'sanctions-source-'));
    try {
      const files = filesOf(source);
      let bytes = 0;
      for (const [index, file] of files.entries()) {
        bytes += await this.downloader.download(file.url, join(folder, file.name), source);
        await progress({ filesDownloaded: index + 1, bytesDownloaded: bytes });
      }
      // The host only: the path or query may carry an access token.
      this.logger.log(`sanctions-list-refresh: downloaded ${files.length} file(s), ${bytes} bytes, from ${new URL(source.url).host}`);
      const outcome = await this.imports.importFiles(
        source.format === 'ofac'
          ? { source: 'ofac_sdn', path: folder, loadedBy: REFRESH_LOADED_BY }
          : { source: 'opensanctions', path: join(folder, OPENSANCTIONS_FILE), loadedBy: REFRESH_LOADED_BY },
      );
      await progress({ [outcome.status]: 1, entries: outcome.entries, aliases: outcome.aliases });
      return outcome;
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }
}

function filesOf(source: SanctionsSourceConfig): Array<{ url: URL; name: string }> {
  if (source.format === 'opensanctions') return [{ url: new URL(source.url), name: OPENSANCTIONS_FILE }];
  return OFAC_FILES.map((name) => {
    // Appended to the path, keeping any query (a token) in place: https://host/ofac?k=… → /ofac/sdn.csv?k=….
    const url = new URL(source.url);
    url.pathname = `${url.pathname.replace(/\/$/, '')}/${name}`;
    return { url, name };
  });
}
