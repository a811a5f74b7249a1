import { makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { ActiveSanctionsLists } from '../screening/active-sanctions-lists';

export const SANCTIONS_LIST_IMPORT_DURATION = 'compliance_sanctions_list_import_duration_seconds';
/** The `status` of an import that threw (bad file, database error); the others are the importer's. */
export const IMPORT_FAILED = 'failed';

/**
 * The lists this instance screens against (its in-memory snapshot, no query), and the imports it
 * ran (the admin endpoint and the refresh job; a CLI import runs in its own process). `source` is
 * ofac_sdn or opensanctions; `version` changes with each import, one active per source.
 */
export const sanctionsListMetricProviders = [
  makeGaugeProvider({
    name: 'compliance_sanctions_list_active_info',
    help: 'The list version this instance screens against, per source (always 1; absent before a first import)',
    labelNames: ['source', 'version'],
    inject: [ActiveSanctionsLists],
    collect(this: Gauge<'source' | 'version'>, lists: ActiveSanctionsLists) {
      this.reset();
      for (const version of lists.current()?.versions ?? []) this.set({ source: version.source, version: version.id }, 1);
    },
  }),
  makeGaugeProvider({
    name: 'compliance_sanctions_list_age_seconds',
    help: 'Time since the active version of each source was imported (an identical re-import keeps the version and its age)',
    labelNames: ['source'],
    inject: [ActiveSanctionsLists],
    collect(this: Gauge<'source'>, lists: ActiveSanctionsLists) {
      this.reset();
      for (const version of lists.current()?.versions ?? []) this.set({ source: version.source }, (Date.now() - version.loadedAt.getTime()) / 1000);
    },
  }),
  makeHistogramProvider({
    name: SANCTIONS_LIST_IMPORT_DURATION,
    help: 'Duration of list imports run by this instance, by source and status (imported, unchanged, failed)',
    labelNames: ['source', 'status'],
    // An OFAC SDN import parses in ~2 s and stores ~18k entries in tens of seconds.
    buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
  }),
];
