import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { KeepsRawBody } from '../../common/raw-body';
import { WebhookRateLimit } from '../../guards/rate-limit/webhook-rate-limit.decorator';
import type { WebhookReceipt } from './dto/webhook.dto';
import { WebhookEventsService } from './webhook-events.service';

/**
 * Signed deliveries from Stripe and the platform (README "Webhooks"). Outside /api: no JWT, the
 * signature is the authentication. Never shed (guards/exempt-paths.ts), under their own rate limit.
 * Not in the OpenAPI document, which describes the API clients call with tokens.
 */
@ApiExcludeController()
@WebhookRateLimit()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookEventsService) {}

  @Post('stripe')
  @HttpCode(200)
  @KeepsRawBody()
  stripe(@Req() request: FastifyRequest, @Headers('stripe-signature') signature: string | undefined): Promise<WebhookReceipt> {
    return this.webhooks.receiveStripe(request.rawBody, signature, request.id);
  }

  @Post('platform')
  @HttpCode(200)
  @KeepsRawBody()
  platform(@Req() request: FastifyRequest, @Headers('x-signature') signature: string | undefined): Promise<WebhookReceipt> {
    return this.webhooks.receivePlatform(request.rawBody, request.body, signature, request.id);
  }
}
