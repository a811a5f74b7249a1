import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../../auth/current-principal.decorator';
import { Roles } from '../../../auth/roles.decorator';
import type { RequestPrincipal } from '../../../common/request-principal';
import { ApiJsonBody, ApiProblems, ApiResult, ValidBody } from '../../../openapi/zod-openapi.decorators';
import { type ImportRequest, importRequestSchema, importViewSchema } from '../dto/screening.dto';
import type { SanctionsImportOutcome } from './sanctions-list.importer';
import { SanctionsImportsService } from './sanctions-imports.service';
import { Idempotent } from '../../../common/idempotency/idempotent.decorator';

@ApiTags('sanctions')
@Idempotent()
@Controller('api/v1/sanctions')
export class SanctionsImportsController {
  constructor(private readonly imports: SanctionsImportsService) {}

  @Post('imports')
  @HttpCode(200)
  @Roles('admin')
  @ApiJsonBody(importRequestSchema)
  @ApiResult(200, 'The list version now active: newly imported, or unchanged when the files are those of the active version', importViewSchema)
  @ApiProblems(400, 401, 403, 422)
  import(@CurrentPrincipal() principal: RequestPrincipal, @ValidBody(importRequestSchema) body: ImportRequest): Promise<SanctionsImportOutcome> {
    return this.imports.import(principal, body);
  }
}
