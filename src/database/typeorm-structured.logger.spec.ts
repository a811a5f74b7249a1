import { TypeOrmStructuredLogger } from './typeorm-structured.logger';

const MARKER = 'marker-7d2a@example.com';

/** The shape of pg's DatabaseError as TypeORM hands it to logQueryError. */
function driverError(message: string, code: string): Error {
  const error = Object.assign(new Error(message), { severity: 'ERROR', code, detail: `Key (email)=(${MARKER}) already exists.` });
  error.name = 'DatabaseError';
  return error;
}

describe('TypeOrmStructuredLogger', () => {
  const lines: string[] = [];
  const logger = new TypeOrmStructuredLogger({ log: (message) => lines.push(message), warn: (message) => lines.push(message) });
  beforeEach(() => lines.splice(0));

  it('logs a failed query by condition and SQLSTATE, never the server message that quotes a value', () => {
    logger.logQueryError(driverError(`invalid input syntax for type uuid: "${MARKER}"`, '22P02'), 'SELECT * FROM venues WHERE id = $1');
    expect(lines).toEqual(['Query failed: DatabaseError: invalid_text_representation (22P02) (SELECT * FROM venues WHERE id = $1)']);
  });

  it('keeps the driver message of a connection failure, which quotes no data', () => {
    logger.logQueryError(new Error('Connection terminated unexpectedly'), 'COMMIT');
    expect(lines).toEqual(['Query failed: Error: Connection terminated unexpectedly (COMMIT)']);
  });

  it('quotes no text TypeORM passes instead of an error', () => {
    logger.logQueryError(`duplicate key ${MARKER}`, 'INSERT INTO venues (email) VALUES ($1)');
    expect(lines.join('\n')).not.toContain(MARKER);
    expect(lines[0]).toMatch(/^Query failed: string: /);
  });
});
