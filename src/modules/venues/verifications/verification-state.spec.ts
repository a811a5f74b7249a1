import fc from 'fast-check';
import { IllegalTransitionError, nextState, VERIFICATION_STATES, type VerificationEvent, type VerificationState } from './verification-state';

const EVENTS: VerificationEvent[] = ['first_approval', 'approve', 'reject', 'request_changes', 'resubmit', 'expire'];

describe('verification state machine', () => {
  it('walks the happy path and the resubmission path', () => {
    expect(nextState('pending', 'first_approval')).toBe('in_review');
    expect(nextState('in_review', 'approve')).toBe('verified');
    expect(nextState('verified', 'expire')).toBe('expired');
    expect(nextState('in_review', 'request_changes')).toBe('action_required');
    expect(nextState('action_required', 'resubmit')).toBe('pending');
  });

  it('refuses every transition out of a final decision except expiry of a verified venue', () => {
    for (const event of EVENTS) {
      expect(() => nextState('rejected', event)).toThrow(IllegalTransitionError);
      expect(() => nextState('expired', event)).toThrow(IllegalTransitionError);
      if (event !== 'expire') expect(() => nextState('verified', event)).toThrow(IllegalTransitionError);
    }
  });

  it('only ever lands in a known state, or refuses', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VERIFICATION_STATES), fc.array(fc.constantFrom(...EVENTS), { maxLength: 12 }), (start: VerificationState, events) => {
        let state = start;
        for (const event of events) {
          try {
            state = nextState(state, event);
          } catch (error) {
            expect(error).toBeInstanceOf(IllegalTransitionError);
          }
          expect(VERIFICATION_STATES).toContain(state);
        }
      }),
    );
  });
});
