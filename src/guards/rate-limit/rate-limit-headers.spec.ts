import { appendListMember, limitItem, policyItem } from './rate-limit-headers';

describe('IETF RateLimit fields', () => {
  it('states a policy as quota per window in seconds', () => {
    expect(policyItem('default', 300, 60_000)).toBe('"default";q=300;w=60');
    expect(policyItem('strict', 5, 1_500)).toBe('"strict";q=5;w=2');
  });

  it('states the remaining quota and the reset, never below zero', () => {
    expect(limitItem('default', 12, 41)).toBe('"default";r=12;t=41');
    expect(limitItem('strict', -3, -1)).toBe('"strict";r=0;t=0');
  });

  it('lists both policies when a route is under two throttlers', () => {
    const once = appendListMember(undefined, policyItem('default', 300, 60_000));
    expect(appendListMember(once, policyItem('strict', 30, 60_000))).toBe('"default";q=300;w=60, "strict";q=30;w=60');
  });
});
