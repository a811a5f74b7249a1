/**
 * PostgreSQL's condition names (Appendix A, "PostgreSQL Error Codes") for the SQLSTATEs a service
 * like ours meets, and for each class. Logs name the condition instead of quoting the server's
 * message, because messages of several classes quote the offending value
 * (22P02 `invalid input syntax for type uuid: "…"`, 42601 `syntax error at or near "…"`).
 */
const CONDITIONS: Readonly<Record<string, string>> = {
  '08000': 'connection_exception',
  '08003': 'connection_does_not_exist',
  '08006': 'connection_failure',
  '22001': 'string_data_right_truncation',
  '22003': 'numeric_value_out_of_range',
  '22007': 'invalid_datetime_format',
  '22P02': 'invalid_text_representation',
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23505': 'unique_violation',
  '23514': 'check_violation',
  '23P01': 'exclusion_violation',
  '25P02': 'in_failed_sql_transaction',
  '28P01': 'invalid_password',
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  '42501': 'insufficient_privilege',
  '42601': 'syntax_error',
  '42703': 'undefined_column',
  '42P01': 'undefined_table',
  '53300': 'too_many_connections',
  '55P03': 'lock_not_available',
  '57014': 'query_canceled',
  '57P01': 'admin_shutdown',
};

const CLASSES: Readonly<Record<string, string>> = {
  '08': 'connection_exception',
  '22': 'data_exception',
  '23': 'integrity_constraint_violation',
  '25': 'invalid_transaction_state',
  '28': 'invalid_authorization_specification',
  '40': 'transaction_rollback',
  '42': 'syntax_error_or_access_rule_violation',
  '53': 'insufficient_resources',
  '54': 'program_limit_exceeded',
  '55': 'object_not_in_prerequisite_state',
  '57': 'operator_intervention',
  '58': 'system_error',
  XX: 'internal_error',
};

const SQLSTATE = /^[0-9A-Z]{5}$/;

export function isSqlState(code: unknown): code is string {
  return typeof code === 'string' && SQLSTATE.test(code);
}

/** `unique_violation`, or the class (`data_exception`) for codes not listed, or `SQLSTATE xxxxx`. */
export function postgresConditionOf(sqlState: string): string {
  return CONDITIONS[sqlState] ?? CLASSES[sqlState.slice(0, 2)] ?? `SQLSTATE ${sqlState}`;
}
