import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '../../../auth/current-principal.decorator';
import { Roles } from '../../../auth/roles.decorator';
import { minorToDecimal, toCsv } from '../../../common/csv';
import type { RequestPrincipal } from '../../../common/request-principal';
import { Clock } from '../../../common/clock';
import { ApiPathParams, ApiProblems, ApiQueryFrom, ApiResult, ValidParams, ValidQuery } from '../../../openapi/zod-openapi.decorators';
import { type VenueParams, venueParamsSchema } from '../../venues/dto/venue-params.dto';
import { type SummaryQuery, summaryQuerySchema, type TaxReport, taxReportSchema, type TaxSummary, taxSummarySchema, type YearParams, yearParamsSchema } from '../dto/tax.dto';
import { taxYearOf } from '../tax-totals';
import { TaxReportsService } from './tax-reports.service';

const READERS = ['compliance_officer', 'compliance_manager', 'admin'] as const;
const CSV_HEADER = ['venue_id', 'legal_name', 'gross_usd', 'transactions', 'refunds_and_chargebacks_usd', 'jurisdictions', 'form_id'];

@ApiTags('tax')
@Controller('api/v1/tax')
export class TaxReportsController {
  constructor(
    private readonly reports: TaxReportsService,
    private readonly clock: Clock,
  ) {}

  @Get('venues/:venueId/summary')
  @Roles(...READERS)
  @ApiPathParams(venueParamsSchema)
  @ApiQueryFrom(summaryQuerySchema)
  @ApiResult(200, 'The venue\'s year as Form 1099-K counts it, and its standing against every threshold of the year', taxSummarySchema)
  @ApiProblems(400, 401, 403)
  summary(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(venueParamsSchema) params: VenueParams, @ValidQuery(summaryQuerySchema) query: SummaryQuery): Promise<TaxSummary> {
    return this.reports.summary(principal, params.venueId, query.year ?? taxYearOf(this.clock.now()));
  }

  /** JSON by default; `Accept: text/csv` gives the same rows as an RFC 4180 attachment. */
  @Get('reports/:year')
  @Roles(...READERS)
  @ApiPathParams(yearParamsSchema)
  @ApiProduces('application/json', 'text/csv')
  @ApiResult(200, 'Venues requiring a Form 1099-K for the year, by venue id', taxReportSchema)
  @ApiProblems(400, 401, 403)
  async report(
    @CurrentPrincipal() principal: RequestPrincipal,
    @ValidParams(yearParamsSchema) params: YearParams,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaxReport | string> {
    const report = await this.reports.report(principal, params.year);
    if (!prefersCsv(accept)) return report;
    void reply
      .header('content-type', 'text/csv; charset=utf-8; header=present')
      .header('content-disposition', `attachment; filename="1099-k-${params.year}.csv"`)
      .header('cache-control', 'private, no-store');
    return toCsv(
      CSV_HEADER,
      report.items.map((item) => [item.venueId, item.legalName, minorToDecimal(item.grossMinor), item.transactions, minorToDecimal(item.reversedMinor), item.jurisdictions.join(' '), item.formId]),
    );
  }
}

function prefersCsv(accept: string | undefined): boolean {
  return accept !== undefined && /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept);
}
