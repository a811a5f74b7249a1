import { isSqlState, postgresConditionOf } from './postgres-error-conditions';

/**
 * What an error may put in a log line: class, codes, names of database objects, a message without
 * values, and stack frames. Everything else an error carries stays out. TypeORM's QueryFailedError
 * holds the `query` and its bound `parameters` and copies the driver's fields onto itself, among
 * them `detail` (`Key (email)=(someone@example.com) already exists.`), `where` and
 * `internalQuery`; pino's error serializer would copy all of them into the log.
 */
export interface LoggableError {
  type: string;
  message: string;
  /** SQLSTATE for PostgreSQL errors; Node's or a library's code (`ECONNREFUSED`) otherwise. */
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  schema?: string;
  dataType?: string;
  /** Frames only: the first line of a V8 stack repeats the message, values included. */
  stack?: string;
  cause?: LoggableError;
  /** Of an AggregateError (pg tries every address a host name resolves to). */
  errors?: LoggableError[];
}

/** Causes and aggregated errors nest; a few levels say what happened without unbounded output. */
const MAX_DEPTH = 3;
const MAX_AGGREGATED = 5;
const DATABASE_OBJECT_FIELDS = ['constraint', 'table', 'column', 'schema', 'dataType'] as const;

export function toLoggableError(error: unknown, depth = 0): LoggableError {
  if (!(error instanceof Error)) return { type: typeof error, message: 'a non-Error value was thrown' };
  const fields = error as Error & Record<string, unknown>;
  const database = isDatabaseError(fields);
  const loggable: LoggableError = { type: typeName(error), message: database ? postgresConditionOf(fields.code as string) : safeMessage(error) };
  if (typeof fields.code === 'string') loggable.code = fields.code;
  if (database) {
    for (const key of DATABASE_OBJECT_FIELDS) {
      const value = fields[key];
      if (typeof value === 'string') loggable[key] = value;
    }
  }
  const frames = stackFrames(error.stack);
  if (frames !== undefined) loggable.stack = `${loggable.type}: ${loggable.message}\n${frames}`;
  if (depth < MAX_DEPTH) {
    if (error.cause !== undefined) loggable.cause = toLoggableError(error.cause, depth + 1);
    if (error instanceof AggregateError && Array.isArray(error.errors)) {
      loggable.errors = error.errors.slice(0, MAX_AGGREGATED).map((inner: unknown) => toLoggableError(inner, depth + 1));
    }
  }
  return loggable;
}

/** pg's DatabaseError carries `severity`; TypeORM's QueryFailedError wraps it as `driverError`. */
function isDatabaseError(error: Record<string, unknown>): boolean {
  return isSqlState(error.code) && (typeof error.severity === 'string' || 'driverError' in error);
}

function typeName(error: Error): string {
  const constructorName = error.constructor?.name;
  return constructorName && constructorName !== 'Error' ? constructorName : error.name;
}

/** Messages our code writes are kept; TypeORM's "not found" message appends the search criteria. */
function safeMessage(error: Error): string {
  if (error.name === 'EntityNotFoundError') return error.message.split(' matching:')[0] ?? error.message;
  return error.message;
}

function stackFrames(stack: string | undefined): string | undefined {
  if (stack === undefined) return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at\s/.test(line));
  return frames.length > 0 ? frames.join('\n') : undefined;
}
