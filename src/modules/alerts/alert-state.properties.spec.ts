import fc from 'fast-check';
import { ALERT_STATUSES, type AlertAction, type AlertStatus, IllegalAlertTransitionError, nextAlertStatus } from './alert-state';

const ACTIONS: AlertAction[] = ['assign', 'investigate', 'close'];
/** The order statuses move in: open → investigating → closed, never back. */
const RANK: Record<AlertStatus, number> = { open: 0, investigating: 1, closed: 2 };
/** Fixed, so a failure reproduces (fast-check prints the counterexample with it). */
const RUNS = { seed: 1_400_014, numRuns: 500 };

describe('alert status transitions (properties)', () => {
  it('only ever lands in a known status, never moves backwards, and leaves a closed alert closed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALERT_STATUSES), fc.array(fc.constantFrom(...ACTIONS), { maxLength: 12 }), (start, actions) => {
        let status: AlertStatus = start;
        for (const action of actions) {
          const before = status;
          try {
            status = nextAlertStatus(status, action);
          } catch (error) {
            expect(error).toBeInstanceOf(IllegalAlertTransitionError);
          }
          expect(ALERT_STATUSES).toContain(status);
          expect(RANK[status]).toBeGreaterThanOrEqual(RANK[before]);
          if (before === 'closed') expect(status).toBe('closed');
        }
      }),
      RUNS,
    );
  });

  it('never changes the status by (re)assigning, and closes from every working status', () => {
    fc.assert(
      fc.property(fc.constantFrom<AlertStatus>('open', 'investigating'), (status) => {
        expect(nextAlertStatus(status, 'assign')).toBe(status);
        expect(nextAlertStatus(status, 'close')).toBe('closed');
      }),
      RUNS,
    );
  });
});
