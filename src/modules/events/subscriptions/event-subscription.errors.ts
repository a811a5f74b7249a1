import { DomainError } from '../../../common/domain-error';

export class EventSubscriptionNotFoundError extends DomainError {
  readonly code = 'EVENTS.SUBSCRIPTION_NOT_FOUND';
  readonly status = 404;
}

export class EventDeliveryNotFoundError extends DomainError {
  readonly code = 'EVENTS.DELIVERY_NOT_FOUND';
  readonly status = 404;
}
