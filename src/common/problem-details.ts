import { STATUS_CODES } from 'node:http';

/** RFC 9457 problem details, plus our stable `code` and the request id for support. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  /** Field-level problems, when the request failed validation. */
  errors?: Array<{ field: string; message: string }>;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Stable codes for errors that carry only an HTTP status; domain errors bring their own. */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'REQUEST.INVALID',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'RESOURCE.NOT_FOUND',
  405: 'REQUEST.METHOD_NOT_ALLOWED',
  406: 'REQUEST.NOT_ACCEPTABLE',
  408: 'REQUEST.TIMEOUT',
  409: 'REQUEST.CONFLICT',
  413: 'REQUEST.BODY_TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  422: 'REQUEST.UNPROCESSABLE',
  429: 'RATE_LIMIT.EXCEEDED',
  500: 'INTERNAL',
  502: 'UPSTREAM.BAD_GATEWAY',
  503: 'SERVICE.UNAVAILABLE',
  504: 'UPSTREAM.TIMEOUT',
};

export function defaultCodeFor(status: number): string {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'REQUEST.INVALID');
}

export function buildProblem(input: {
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  code?: string;
  title?: string;
  type?: string;
  errors?: ProblemDetails['errors'];
}): ProblemDetails {
  const problem: ProblemDetails = {
    // about:blank means "the HTTP status says it all" (RFC 9457 §4.2.1); domain errors set a type.
    type: input.type ?? 'about:blank',
    title: input.title ?? STATUS_CODES[input.status] ?? 'Error',
    status: input.status,
    detail: input.detail,
    instance: input.instance,
    code: input.code ?? defaultCodeFor(input.status),
    requestId: input.requestId,
  };
  if (input.errors && input.errors.length > 0) problem.errors = input.errors;
  return problem;
}
