import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { reportServerError } from '../error-tracking/server-error.reporter';
import { buildProblem, PROBLEM_CONTENT_TYPE } from './problem-details';
import { REQUEST_ID_HEADER } from './request-id';

/** What went wrong, in words that quote nothing of the request. */
const DETAIL_BY_CODE: Record<string, string> = {
  FST_ERR_BAD_URL: 'The request path is not a valid URL component (broken percent-encoding)',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is longer than the server accepts',
  FST_ERR_ASYNC_CONSTRAINT: 'The request did not satisfy a routing constraint',
};

/**
 * Fastify's `frameworkErrors`: errors its router raises before any hook or Nest runs. Unhandled,
 * Fastify answers plain JSON quoting the whole URL (`'/x?email=…' is not a valid url component`);
 * here they become problem+json like every other error, without the query string.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 400;
  // FST_ERR_ASYNC_CONSTRAINT: a constraint strategy failed, not the request.
  if (status >= 500) reportServerError(error, request);
  void reply
    .code(status)
    .header(REQUEST_ID_HEADER, request.id)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(
      buildProblem({
        status,
        detail: DETAIL_BY_CODE[error.code] ?? 'The request could not be routed',
        instance: request.url.split('?')[0] ?? '',
        requestId: request.id,
      }),
    );
}
