import { Controller, Get, Header, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ValidParams, ValidQuery } from '../../openapi/zod-openapi.decorators';
import { exportDownloadParamsSchema, exportDownloadQuerySchema } from './dto/privacy.dto';
import { PrivacyRequestsService } from './privacy-requests.service';

/**
 * Downloads of access exports through the signed links POST …/export-link issues. Outside /api:
 * no JWT, the link's signature and expiry are the authentication (the person downloading may be
 * the data subject, who has no token). Not in the OpenAPI document, like the webhooks.
 */
@ApiExcludeController()
@Controller('privacy-exports')
export class PrivacyExportsController {
  constructor(private readonly requests: PrivacyRequestsService) {}

  @Get(':tenantId/:id')
  @Header('Cache-Control', 'no-store')
  @Header('Content-Disposition', 'attachment; filename="personal-data-export.json"')
  download(
    @Req() request: FastifyRequest,
    @ValidParams(exportDownloadParamsSchema) params: { tenantId: string; id: string },
    @ValidQuery(exportDownloadQuerySchema) query: { expires: number; signature: string },
  ): Promise<unknown> {
    return this.requests.download(params.tenantId, params.id, query.expires, query.signature, request.id);
  }
}
