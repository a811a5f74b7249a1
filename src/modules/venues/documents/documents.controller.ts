import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../../auth/current-principal.decorator';
import { Roles } from '../../../auth/roles.decorator';
import type { RequestPrincipal } from '../../../common/request-principal';
import type { AppConfig } from '../../../config/app-config';
import { ApiJsonBody, ApiPathParams, ApiProblems, ApiResult, ValidBody, ValidParams } from '../../../openapi/zod-openapi.decorators';
import {
  type DocumentDecisionRequest,
  documentDecisionSchema,
  documentListSchema,
  documentUploadOpenApiSchema,
  type DocumentView,
  documentViewSchema,
} from '../dto/document.dto';
import { type IdParams, idParamsSchema, type VenueParams, venueParamsSchema } from '../dto/venue-params.dto';
import { DocumentsService } from './documents.service';
import { readDocumentUpload } from './multipart-upload';
import { Idempotent } from '../../../common/idempotency/idempotent.decorator';

const READERS = ['venue_owner', 'compliance_officer', 'compliance_manager', 'admin'] as const;

@ApiTags('documents')
@Idempotent()
@Controller('api/v1')
export class DocumentsController {
  private readonly maxBytes: number;

  constructor(
    private readonly documents: DocumentsService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.maxBytes = config.get('domain', { infer: true }).documentMaxBytes;
  }

  /** 201 for a new document, 200 when the venue already has these exact bytes as this kind. */
  @Post('venues/:venueId/documents')
  @Roles(...READERS)
  @ApiPathParams(venueParamsSchema)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: documentUploadOpenApiSchema as never })
  @ApiResult(201, 'Stored; its type was decided by its bytes', documentViewSchema)
  @ApiResult(200, 'The same bytes were uploaded before: the existing document', documentViewSchema)
  @ApiProblems(400, 401, 403, 404, 413, 415, 422)
  async upload(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(venueParamsSchema) params: VenueParams, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<DocumentView> {
    const { fields, file } = await readDocumentUpload(request, this.maxBytes);
    const { document, created } = await this.documents.upload(principal, params.venueId, fields, file);
    void reply.status(created ? 201 : 200);
    return document;
  }

  @Get('venues/:venueId/documents')
  @Roles(...READERS)
  @ApiPathParams(venueParamsSchema)
  @ApiResult(200, 'The venue\'s documents, newest first', documentListSchema)
  @ApiProblems(400, 401, 403, 404)
  async list(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(venueParamsSchema) params: VenueParams): Promise<{ items: DocumentView[] }> {
    return { items: await this.documents.listForVenue(principal, params.venueId) };
  }

  @Get('documents/:id')
  @Roles(...READERS)
  @ApiPathParams(idParamsSchema)
  @ApiResult(200, 'The document\'s metadata and decision', documentViewSchema)
  @ApiProblems(400, 401, 403, 404)
  get(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(idParamsSchema) params: IdParams): Promise<DocumentView> {
    return this.documents.get(principal, params.id);
  }

  /** Always an attachment, never sniffed, sandboxed if a browser renders it anyway. */
  @Get('documents/:id/content')
  @Roles(...READERS)
  @ApiPathParams(idParamsSchema)
  @ApiProduces('application/pdf', 'image/png', 'image/jpeg')
  @ApiResult(200, 'The bytes, with the stored content type')
  @ApiProblems(400, 401, 403, 404)
  async content(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(idParamsSchema) params: IdParams, @Res() reply: FastifyReply): Promise<void> {
    const { document, content } = await this.documents.content(principal, params.id);
    await reply
      .header('content-type', document.contentType)
      .header('content-disposition', contentDisposition(document))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "sandbox; default-src 'none'")
      .header('cache-control', 'private, no-store')
      .send(content);
  }

  @Post('documents/:id/decisions')
  @HttpCode(200)
  @Roles('compliance_officer', 'compliance_manager', 'admin')
  @ApiPathParams(idParamsSchema)
  @ApiJsonBody(documentDecisionSchema)
  @ApiResult(200, 'The document after the decision; the venue\'s checklist follows', documentViewSchema)
  @ApiProblems(400, 401, 403, 404, 422)
  decide(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(idParamsSchema) params: IdParams, @ValidBody(documentDecisionSchema) body: DocumentDecisionRequest): Promise<DocumentView> {
    return this.documents.decide(principal, params.id, body);
  }
}

/** RFC 6266: an ASCII fallback plus the UTF-8 name (RFC 8187). */
function contentDisposition(document: DocumentView): string {
  const name = document.fileName ?? `${document.kind.toLowerCase()}-${document.id}`;
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
