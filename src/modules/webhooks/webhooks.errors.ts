import { DomainError } from '../../common/domain-error';

/**
 * 400 for a delivery whose signature does not prove it came from the sender unchanged. The
 * message names what is wrong (missing, malformed, not matching, outside the tolerance), never
 * the header's value or the body.
 */
export class WebhookSignatureError extends DomainError {
  readonly code: string;
  readonly status = 400;

  constructor(message: string, code: 'WEBHOOK.INVALID_SIGNATURE' | 'WEBHOOK.STALE_SIGNATURE' = 'WEBHOOK.INVALID_SIGNATURE') {
    super(message);
    this.code = code;
  }
}

export class WebhookPayloadError extends DomainError {
  readonly code = 'WEBHOOK.INVALID_PAYLOAD';
  readonly status = 400;
}
