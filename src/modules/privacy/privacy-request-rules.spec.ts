import { addCalendarMonths, dueDate, nextState, refusalOf } from './privacy-request-rules';

const at = (iso: string) => new Date(iso);

describe('privacy request rules', () => {
  it('counts a month as the same day of the next month, or that month\'s last day', () => {
    expect(dueDate(at('2026-03-15T10:00:00Z')).toISOString()).toBe('2026-04-15T10:00:00.000Z');
    expect(dueDate(at('2026-01-31T08:30:00Z')).toISOString()).toBe('2026-02-28T08:30:00.000Z');
    expect(dueDate(at('2028-01-31T00:00:00Z')).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(dueDate(at('2026-12-20T00:00:00Z')).toISOString()).toBe('2027-01-20T00:00:00.000Z');
    expect(addCalendarMonths(at('2026-01-31T00:00:00Z'), 3).toISOString()).toBe('2026-04-30T00:00:00.000Z');
  });

  it('allows one extension, only within the first month', () => {
    const received = { state: 'in_progress' as const, receivedAt: at('2026-03-15T00:00:00Z'), extendedAt: null };
    expect(refusalOf(received, 'extend', at('2026-04-14T00:00:00Z'))).toBeUndefined();
    expect(refusalOf(received, 'extend', at('2026-04-16T00:00:00Z'))).toMatch(/within one month/);
    expect(refusalOf({ ...received, extendedAt: at('2026-03-20T00:00:00Z') }, 'extend', at('2026-03-21T00:00:00Z'))).toMatch(/once/);
  });

  it('moves received → in_progress → completed | refused and never out of a final state', () => {
    const now = at('2026-03-16T00:00:00Z');
    const received = { state: 'received' as const, receivedAt: at('2026-03-15T00:00:00Z'), extendedAt: null };
    expect(refusalOf(received, 'start', now)).toBeUndefined();
    expect(refusalOf({ ...received, state: 'in_progress' }, 'start', now)).toMatch(/already in progress/);
    expect(refusalOf(received, 'refuse', now)).toBeUndefined();
    for (const state of ['completed', 'refused'] as const) {
      for (const action of ['start', 'complete', 'refuse', 'extend'] as const) expect(refusalOf({ ...received, state }, action, now)).toBe(`the request is already ${state}`);
    }
    expect([nextState('start'), nextState('complete'), nextState('refuse')]).toEqual(['in_progress', 'completed', 'refused']);
  });
});
