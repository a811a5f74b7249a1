import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminApiGuard, BREAK_GLASS_ACTOR } from '../../../auth/admin-api.guard';
import { ZodValidationPipe } from '../../../common/zod-validation.pipe';
import {
  type CreateEventSubscription,
  createEventSubscriptionSchema,
  type DeliveryListQuery,
  deliveryIdSchema,
  deliveryListQuerySchema,
  type EventDeliveryView,
  type EventSubscriptionView,
  subscriptionIdSchema,
} from '../dto/event-subscription.dto';
import { EventSubscriptionsService } from './event-subscriptions.service';

/**
 * Admin API of events out (issue 12): who receives which events, what was delivered, and replay of
 * a dead-lettered delivery. For the `admin` role or the break-glass token (AdminApiGuard), on the
 * private admin surface.
 */
@Controller('admin')
@UseGuards(AdminApiGuard)
export class EventSubscriptionsController {
  constructor(private readonly subscriptions: EventSubscriptionsService) {}

  @Post('event-subscriptions')
  create(@Body(new ZodValidationPipe(createEventSubscriptionSchema)) body: CreateEventSubscription, @Req() request: FastifyRequest): Promise<EventSubscriptionView> {
    return this.subscriptions.create(body, actorOf(request));
  }

  @Get('event-subscriptions')
  list(): Promise<EventSubscriptionView[]> {
    return this.subscriptions.list();
  }

  @Delete('event-subscriptions/:id')
  @HttpCode(204)
  deactivate(@Param(new ZodValidationPipe(subscriptionIdSchema)) params: { id: string }, @Req() request: FastifyRequest): Promise<void> {
    return this.subscriptions.deactivate(params.id, actorOf(request));
  }

  @Get('event-subscriptions/:id/deliveries')
  deliveries(@Param(new ZodValidationPipe(subscriptionIdSchema)) params: { id: string }, @Query(new ZodValidationPipe(deliveryListQuerySchema)) query: DeliveryListQuery): Promise<EventDeliveryView[]> {
    return this.subscriptions.deliveries(params.id, query.status);
  }

  @Post('event-deliveries/:id/replay')
  @HttpCode(202)
  async replay(@Param(new ZodValidationPipe(deliveryIdSchema)) params: { id: string }, @Req() request: FastifyRequest): Promise<{ replayed: string }> {
    await this.subscriptions.replay(params.id, actorOf(request));
    return { replayed: params.id };
  }
}

function actorOf(request: FastifyRequest): string {
  return request.adminActor ?? BREAK_GLASS_ACTOR;
}
