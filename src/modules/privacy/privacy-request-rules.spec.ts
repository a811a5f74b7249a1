import fc from 'fast-check';
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

  it('is never early: a due date falls 28 to 31 days after receipt, on the same day of the month or the month\'s last', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }), (received) => {
        const due = dueDate(received);
        const days = (due.getTime() - received.getTime()) / 86_400_000;
        expect(days).toBeGreaterThanOrEqual(28);
        expect(days).toBeLessThanOrEqual(31);
        const lastDayOfDueMonth = new Date(Date.UTC(due.getUTCFullYear(), due.getUTCMonth() + 1, 0)).getUTCDate();
        expect(due.getUTCDate()).toBe(Math.min(received.getUTCDate(), lastDayOfDueMonth));
        expect(due.getUTCHours() * 3_600_000 + due.getUTCMinutes() * 60_000 + due.getUTCSeconds() * 1000 + due.getUTCMilliseconds()).toBe(received.getTime() % 86_400_000);
      }),
    );
  });

  it('extends by whole months: received + 1 + n months is never before the original due date', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }), fc.integer({ min: 1, max: 2 }), (received, months) => {
        expect(addCalendarMonths(dueDate(received), months).getTime()).toBeGreaterThan(dueDate(received).getTime());
      }),
    );
  });
});
