import { IllegalAlertTransitionError, nextAlertStatus } from './alert-state';

describe('alert status transitions', () => {
  it('moves an open alert to investigating and closes it from either working status', () => {
    expect(nextAlertStatus('open', 'investigate')).toBe('investigating');
    expect(nextAlertStatus('open', 'close')).toBe('closed');
    expect(nextAlertStatus('investigating', 'close')).toBe('closed');
  });

  it('keeps the status when an alert is (re)assigned', () => {
    expect(nextAlertStatus('open', 'assign')).toBe('open');
    expect(nextAlertStatus('investigating', 'assign')).toBe('investigating');
  });

  it.each([
    ['investigating', 'investigate'],
    ['closed', 'investigate'],
    ['closed', 'close'],
    ['closed', 'assign'],
  ] as const)('refuses %s → %s', (from, action) => {
    expect(() => nextAlertStatus(from, action)).toThrow(IllegalAlertTransitionError);
  });
});
