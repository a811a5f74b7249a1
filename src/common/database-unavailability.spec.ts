import { QueryFailedError } from 'typeorm';
import { databaseUnavailabilityOf } from './database-unavailability';

function driverError(message: string, code: string): Error {
  return Object.assign(new Error(message), { severity: 'ERROR', code });
}

describe('databaseUnavailabilityOf', () => {
  it.each([
    ['a refused connection (pg-pool passes it unwrapped)', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a connection reset mid-query', new Error('Connection terminated unexpectedly')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    ['a server shutting down, wrapped by TypeORM', new QueryFailedError('SELECT 1', [], driverError('terminating connection due to administrator command', '57P01'))],
  ])('reads %s as DATABASE.UNAVAILABLE', (_what, error) => {
    expect(databaseUnavailabilityOf(error)).toMatchObject({ code: 'DATABASE.UNAVAILABLE', retryAfterSeconds: expect.any(Number) });
  });

  it('reads a statement cancelled by statement_timeout as DATABASE.TIMEOUT', () => {
    const error = new QueryFailedError('SELECT 1', [], driverError('canceling statement due to statement timeout', '57014'));
    expect(databaseUnavailabilityOf(error)).toMatchObject({ code: 'DATABASE.TIMEOUT', detail: expect.stringContaining('statement timeout') });
  });

  it.each([
    ['a constraint violation', new QueryFailedError('INSERT', [], driverError('duplicate key value violates unique constraint', '23505'))],
    ['a missing table', new QueryFailedError('SELECT', [], driverError('relation "x" does not exist', '42P01'))],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a thrown string', 'boom'],
  ])('leaves %s to the 500 path', (_what, error) => {
    expect(databaseUnavailabilityOf(error)).toBeUndefined();
  });
});
