import { DomainError } from '../../common/domain-error';

export const ALERT_STATUSES = ['open', 'investigating', 'closed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const ALERT_OUTCOMES = ['confirmed_match', 'false_positive'] as const;
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];
export type AlertAction = 'assign' | 'investigate' | 'close';

export class IllegalAlertTransitionError extends DomainError {
  readonly code = 'ALERT.ILLEGAL_TRANSITION';
  readonly status = 409;

  constructor(from: AlertStatus, action: AlertAction) {
    super(`An alert that is ${from} cannot ${action === 'assign' ? 'be assigned' : action === 'investigate' ? 'move to investigating' : 'be closed'}`);
  }
}

/** The one table of legal moves: open → investigating → closed (Marble's cases); a closed alert is final. */
const TRANSITIONS: Record<AlertStatus, Partial<Record<AlertAction, AlertStatus>>> = {
  open: { assign: 'open', investigate: 'investigating', close: 'closed' },
  investigating: { assign: 'investigating', close: 'closed' },
  closed: {},
};

export function nextAlertStatus(from: AlertStatus, action: AlertAction): AlertStatus {
  const to = TRANSITIONS[from][action];
  if (to === undefined) throw new IllegalAlertTransitionError(from, action);
  return to;
}
