import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { QualifyingVenuesReader } from './qualifying-venues.reader';

/** `tax_year` takes two values at a time (this year and last); no tenant label. */
export const taxMetricProviders = [
  makeGaugeProvider({
    name: 'compliance_tax_1099k_qualifying_venues',
    help: 'Venues of every tenant whose USD charges meet a Form 1099-K threshold, by tax year (this year so far and last year; read at most once a minute)',
    labelNames: ['tax_year'],
    inject: [QualifyingVenuesReader],
    async collect(this: Gauge<'tax_year'>, reader: QualifyingVenuesReader) {
      const counts = await reader.byTaxYear();
      if (counts === undefined) return;
      this.reset();
      for (const [year, venues] of counts) this.set({ tax_year: String(year) }, venues);
    },
  }),
];
