import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../../auth/current-principal.decorator';
import { Roles } from '../../../auth/roles.decorator';
import type { RequestPrincipal } from '../../../common/request-principal';
import { Bulkhead } from '../../../guards/bulkhead/bulkhead.decorator';
import { StrictRateLimit } from '../../../guards/rate-limit/strict-rate-limit.decorator';
import { ApiPathParams, ApiProblems, ApiResult, ValidParams } from '../../../openapi/zod-openapi.decorators';
import { type IdParams, idParamsSchema } from '../../venues/dto/venue-params.dto';
import { type GenerateResult, generateResultSchema, type TaxFormView, taxFormListSchema, taxFormViewSchema, type YearParams, yearParamsSchema } from '../dto/tax.dto';
import { TaxFormsService } from './tax-forms.service';
import { Idempotent } from '../../../common/idempotency/idempotent.decorator';

@ApiTags('tax')
@Idempotent()
@Controller('api/v1/tax/forms')
export class TaxFormsController {
  constructor(private readonly forms: TaxFormsService) {}

  /** Idempotent: venues that already have their form for the year are left as they are. */
  @Post(':year/generate')
  @HttpCode(200)
  @Roles('admin')
  @StrictRateLimit()
  @Bulkhead('tax')
  @ApiPathParams(yearParamsSchema)
  @ApiResult(200, 'One Form 1099-K record per qualifying venue that had none; the counts', generateResultSchema)
  @ApiProblems(400, 401, 403, 422)
  generate(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(yearParamsSchema) params: YearParams): Promise<GenerateResult> {
    return this.forms.generate(principal, params.year);
  }

  @Get(':year')
  @Roles('compliance_officer', 'compliance_manager', 'admin')
  @ApiPathParams(yearParamsSchema)
  @ApiResult(200, 'The year\'s forms and corrections (TIN masked), by venue', taxFormListSchema)
  @ApiProblems(400, 401, 403)
  async list(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(yearParamsSchema) params: YearParams): Promise<{ items: TaxFormView[] }> {
    return { items: await this.forms.list(principal, params.year) };
  }

  @Post(':id/corrections')
  @Roles('admin')
  @ApiPathParams(idParamsSchema)
  @ApiResult(201, 'A corrected form linked to the one it corrects, from the current transactions and payee details', taxFormViewSchema)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  correct(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(idParamsSchema) params: IdParams): Promise<TaxFormView> {
    return this.forms.correct(principal, params.id);
  }
}
