import fc from 'fast-check';
import { dueDate, nextState, PRIVACY_REQUEST_STATES, type PrivacyRequestAction, type PrivacyRequestState, refusalOf } from './privacy-request-rules';

const ACTIONS: PrivacyRequestAction[] = ['start', 'complete', 'refuse', 'extend'];
const FINAL: readonly PrivacyRequestState[] = ['completed', 'refused'];
const DAY_MS = 86_400_000;
/** Fixed, so a failure reproduces (fast-check prints the counterexample with it). */
const RUNS = { seed: 1_400_014, numRuns: 500 };

interface Request {
  state: PrivacyRequestState;
  receivedAt: Date;
  extendedAt: Date | null;
}

/** What the service does with an allowed action: the state moves, or the one extension is recorded. */
function apply(request: Request, action: PrivacyRequestAction, now: Date): Request {
  if (action === 'extend') return { ...request, extendedAt: now };
  return { ...request, state: nextState(action) };
}

describe('privacy request state (properties)', () => {
  it('only lands in a known state, never leaves a final one, starts only once, and extends at most once within the first month', () => {
    const receivedAt = new Date('2026-03-15T09:00:00Z');
    const step = fc.record({ action: fc.constantFrom(...ACTIONS), afterDays: fc.integer({ min: 0, max: 40 }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 10 }), (steps) => {
        let request: Request = { state: 'received', receivedAt, extendedAt: null };
        let now = receivedAt;
        let starts = 0;
        let extensions = 0;
        for (const { action, afterDays } of steps) {
          now = new Date(now.getTime() + afterDays * DAY_MS);
          const before = request;
          const refusal = refusalOf(request, action, now);
          if (refusal === undefined) {
            request = apply(request, action, now);
            if (action === 'start') starts += 1;
            if (action === 'extend') {
              extensions += 1;
              expect(now.getTime()).toBeLessThanOrEqual(dueDate(receivedAt).getTime());
            }
          }
          expect(PRIVACY_REQUEST_STATES).toContain(request.state);
          if (FINAL.includes(before.state)) expect({ refusal: typeof refusal, state: request.state }).toEqual({ refusal: 'string', state: before.state });
        }
        expect(starts).toBeLessThanOrEqual(1);
        expect(extensions).toBeLessThanOrEqual(1);
      }),
      RUNS,
    );
  });
});
