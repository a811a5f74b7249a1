/** Data-subject request rules of GDPR Art. 12 (cited per function); no I/O. */

export const PRIVACY_REQUEST_TYPES = ['access', 'erasure'] as const;
export type PrivacyRequestType = (typeof PRIVACY_REQUEST_TYPES)[number];

export const PRIVACY_REQUEST_STATES = ['received', 'in_progress', 'completed', 'refused'] as const;
export type PrivacyRequestState = (typeof PRIVACY_REQUEST_STATES)[number];

export type PrivacyRequestAction = 'start' | 'complete' | 'refuse' | 'extend';

/** The longest extension Art. 12(3) allows ("by two further months"). */
export const MAX_EXTENSION_MONTHS = 2;

/**
 * `months` calendar months after `from`, as EU law counts periods (Regulation 1182/71 Art. 3(2)(c)):
 * the same day of the month, or the month's last day when it has no such day (31 Jan + 1 month =
 * 28/29 Feb). Computed in UTC.
 */
export function addCalendarMonths(from: Date, months: number): Date {
  const target = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + months, 1, from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(from.getUTCDate(), lastDay));
  return target;
}

/** Art. 12(3): information on action taken "within one month of receipt of the request". */
export function dueDate(receivedAt: Date): Date {
  return addCalendarMonths(receivedAt, 1);
}

/** Why an action is not allowed now, or undefined when it is. */
export function refusalOf(
  request: { state: PrivacyRequestState; receivedAt: Date; extendedAt: Date | null },
  action: PrivacyRequestAction,
  now: Date,
): string | undefined {
  if (request.state === 'completed' || request.state === 'refused') return `the request is already ${request.state}`;
  if (action === 'start' && request.state !== 'received') return 'the request is already in progress';
  if (action === 'extend') {
    if (request.extendedAt !== null) return 'the deadline was already extended once (Art. 12(3) allows one extension)';
    // The controller must tell the subject of an extension "within one month of receipt".
    if (now.getTime() > dueDate(request.receivedAt).getTime()) return 'an extension must be decided and communicated within one month of receipt (Art. 12(3))';
  }
  return undefined;
}

export function nextState(action: Exclude<PrivacyRequestAction, 'extend'>): PrivacyRequestState {
  return action === 'start' ? 'in_progress' : action === 'complete' ? 'completed' : 'refused';
}
