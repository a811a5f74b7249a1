import { EntityNotFoundError, QueryFailedError } from 'typeorm';
import { toLoggableError } from './loggable-error';

const MARKER = 'marker-4e1c@example.com';

/** The shape pg's DatabaseError has when the server reports an error (pg-protocol's parser fills these). */
function driverError(message: string, fields: Record<string, string>): Error {
  return Object.assign(new Error(message), { severity: 'ERROR', ...fields });
}

describe('toLoggableError', () => {
  it('keeps class, SQLSTATE, constraint and table of a failed query, and no bound value, detail or query text', () => {
    const cause = driverError('duplicate key value violates unique constraint "venues_email_key"', {
      code: '23505',
      detail: `Key (email)=(${MARKER}) already exists.`,
      constraint: 'venues_email_key',
      table: 'venues',
      schema: 'public',
      where: `row ${MARKER}`,
    });
    const error = new QueryFailedError('INSERT INTO venues (email) VALUES ($1)', [MARKER], cause);
    const loggable = toLoggableError(error);
    expect(loggable).toMatchObject({ type: 'QueryFailedError', message: 'unique_violation', code: '23505', constraint: 'venues_email_key', table: 'venues', schema: 'public' });
    expect(loggable.stack).toMatch(/^QueryFailedError: unique_violation\n\s+at /);
    expect(JSON.stringify(loggable)).not.toContain(MARKER);
    expect(JSON.stringify(loggable)).not.toContain('INSERT INTO');
  });

  it('names the condition instead of quoting a server message that contains the value', () => {
    const error = driverError(`invalid input syntax for type uuid: "${MARKER}"`, { code: '22P02' });
    expect(toLoggableError(error)).toMatchObject({ message: 'invalid_text_representation', code: '22P02' });
    expect(JSON.stringify(toLoggableError(error))).not.toContain(MARKER);
    expect(toLoggableError(driverError('x', { code: '22999' })).message).toBe('data_exception');
  });

  it('drops the search criteria TypeORM puts in its not-found message', () => {
    const loggable = toLoggableError(new EntityNotFoundError('Venue', { email: MARKER }));
    expect(loggable.message).toBe('Could not find any entity of type "Venue"');
    expect(JSON.stringify(loggable)).not.toContain(MARKER);
  });

  it('keeps the message and code of other errors, and maps causes and aggregated errors the same way', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', address: '127.0.0.1' });
    const wrapped = new Error('could not load the venue', { cause: new AggregateError([refused], 'all addresses failed') });
    expect(toLoggableError(wrapped)).toMatchObject({
      type: 'Error',
      message: 'could not load the venue',
      cause: { type: 'AggregateError', message: 'all addresses failed', errors: [{ message: 'connect ECONNREFUSED 127.0.0.1:5432', code: 'ECONNREFUSED' }] },
    });
    expect(toLoggableError(wrapped).cause?.errors?.[0]).not.toHaveProperty('address');
  });

  it('stops after a few levels of causes', () => {
    let error = new Error('level 0');
    for (let level = 1; level <= 10; level += 1) error = new Error(`level ${level}`, { cause: error });
    expect(new Set(JSON.stringify(toLoggableError(error)).match(/level \d+/g))).toEqual(new Set(['level 10', 'level 9', 'level 8', 'level 7']));
  });

  it('describes a thrown non-Error without its value', () => {
    expect(toLoggableError(MARKER)).toEqual({ type: 'string', message: 'a non-Error value was thrown' });
  });
});
