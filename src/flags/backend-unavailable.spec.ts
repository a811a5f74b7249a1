import { QueryFailedError } from 'typeorm';
import { isBackendUnavailable } from './backend-unavailable';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isBackendUnavailable', () => {
  it('recognises a backend that cannot be reached', () => {
    expect(isBackendUnavailable(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isBackendUnavailable(new AggregateError([withCode('refused', 'ECONNREFUSED')], ''))).toBe(true);
    expect(isBackendUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isBackendUnavailable(withCode('the database system is shutting down', '57P03'))).toBe(true);
    expect(isBackendUnavailable(withCode('connection failure', '08006'))).toBe(true);
    expect(isBackendUnavailable(new QueryFailedError('SELECT 1', [], withCode('too many clients', '53300')))).toBe(true);
  });

  it('leaves every other failure to be a 500', () => {
    expect(isBackendUnavailable(new QueryFailedError('INSERT', [], withCode('new row violates check constraint', '23514')))).toBe(false);
    expect(isBackendUnavailable(withCode('relation "feature_flag_overrides" does not exist', '42P01'))).toBe(false);
    expect(isBackendUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isBackendUnavailable('ECONNREFUSED')).toBe(false);
  });
});
