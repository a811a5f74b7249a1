import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { reportServerError } from '../error-tracking/server-error.reporter';
import { type DatabaseUnavailability, databaseUnavailabilityOf } from './database-unavailability';
import { DomainError } from './domain-error';
import { toLoggableError } from './loggable-error';
import { isOverloadRefusal } from './overload-refusal';
import { buildProblem, PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem-details';
import { RateLimitedLogger } from './rate-limited-logger';

/** The one place errors become HTTP: every thrown error leaves as application/problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);
  /**
   * During a database outage every request fails the same way: one line a second says so (with
   * the count of the others), readiness and metrics say the rest, and no error tracker event is
   * sent per request.
   */
  private readonly unavailableLog = new RateLimitedLogger(this.logger);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const unavailable = exception instanceof DomainError || exception instanceof HttpException ? undefined : databaseUnavailabilityOf(exception);
    const problem = toProblem(exception, request, unavailable);
    if (unavailable !== undefined) {
      this.unavailableLog.warn(unavailable.code, `Database unavailable (${unavailable.code}): answering 503 on ${request.method} ${routeOf(request)}`, {
        error: toLoggableError(exception),
        requestId: problem.requestId,
      });
      void reply.header('retry-after', String(unavailable.retryAfterSeconds));
    } else if (problem.status >= 500 && !isOverloadRefusal(request)) {
      // Only the loggable fields: a failed query carries its bound values and the driver's detail.
      this.logger.error({ error: toLoggableError(exception), requestId: problem.requestId }, `Unhandled error on ${request.method} ${routeOf(request)}`);
      reportServerError(exception, request);
    }
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }
}

/**
 * Nest also routes Fastify's own errors (bad JSON, body too large) here, via its error handler.
 * The query string never appears in a problem: it can carry the names and emails being screened,
 * and Nest's 404 ("Cannot GET /path?email=…") and some Fastify errors quote the full URL.
 */
function toProblem(exception: unknown, request: FastifyRequest, unavailable: DatabaseUnavailability | undefined): ProblemDetails {
  const problem = describe(exception, request, unavailable);
  return { ...problem, detail: withoutQueryString(problem.detail, request.url) };
}

function describe(exception: unknown, request: FastifyRequest, unavailable: DatabaseUnavailability | undefined): ProblemDetails {
  const base = { instance: pathOf(request.url), requestId: request.id };
  if (unavailable !== undefined) {
    return buildProblem({ ...base, status: 503, code: unavailable.code, detail: unavailable.detail });
  }
  if (exception instanceof DomainError) {
    return buildProblem({ ...base, status: exception.status, code: exception.code, title: exception.title, detail: exception.message });
  }
  if (exception instanceof HttpException) {
    return buildProblem({ ...base, status: exception.getStatus(), ...describeHttpException(exception) });
  }
  const fastifyError = asFastifyError(exception);
  if (fastifyError) {
    return buildProblem({ ...base, status: fastifyError.statusCode, detail: fastifyError.message });
  }
  return buildProblem({ ...base, status: 500, detail: 'The server failed to handle this request; it has been logged with the request id.' });
}

function describeHttpException(exception: HttpException): { detail: string; errors?: ProblemDetails['errors']; code?: string } {
  const response = exception.getResponse();
  if (typeof response === 'string') return { detail: response };
  const body = response as { message?: unknown; code?: unknown; errors?: ProblemDetails['errors'] };
  const code = typeof body.code === 'string' ? body.code : undefined;
  if (Array.isArray(body.message)) {
    return { detail: body.message.join('; '), code };
  }
  return { detail: typeof body.message === 'string' ? body.message : exception.message, errors: body.errors, code };
}

/** Errors Fastify raises itself (bad JSON, body too large, wrong content type) carry a 4xx statusCode. */
function asFastifyError(exception: unknown): { statusCode: number; message: string } | undefined {
  if (!(exception instanceof Error) || !('statusCode' in exception)) return undefined;
  const statusCode = Number(exception.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 400 || statusCode >= 500) return undefined;
  return { statusCode, message: exception.message };
}

function pathOf(url: string): string {
  return url.split('?')[0] ?? url;
}

/** Removes the request's query string from `text`, as sent and as decoded. */
function withoutQueryString(text: string, url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return text;
  const query = url.slice(queryStart);
  let cleaned = text;
  for (const form of new Set([query, decoded(query), decoded(query.replace(/\+/g, ' '))])) cleaned = cleaned.split(form).join('');
  return cleaned;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions?.url ?? 'unmatched';
}
