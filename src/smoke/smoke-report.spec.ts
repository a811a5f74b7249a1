import { smokeTable, smokeVerdict } from './smoke-report';

const results = [
  { name: 'liveness', passed: true, detail: '200', latencyMs: 3.4 },
  { name: 'payout eligibility', passed: false, detail: 'answered 500, expected 200 — INTERNAL', latencyMs: 12.6 },
  { name: 'metrics', passed: false, detail: 'no answer', latencyMs: undefined },
];

describe('the smoke table', () => {
  it('lines up check, result and latency, one row per check', () => {
    expect(smokeTable(results).split('\n')).toEqual([
      'check               result                                       latency',
      'liveness            PASS  200                                    3 ms',
      'payout eligibility  FAIL  answered 500, expected 200 — INTERNAL  13 ms',
      'metrics             FAIL  no answer                              -',
    ]);
  });

  it('names every failed check on the last line, or says all passed', () => {
    expect(smokeVerdict(results, 'http://svc')).toBe('smoke: FAILED 2 of 3 checks against http://svc: payout eligibility, metrics');
    expect(smokeVerdict([results[0]!], 'http://svc')).toBe('smoke: all 1 checks passed against http://svc');
  });
});
