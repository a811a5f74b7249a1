import type { Response } from 'light-my-request';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: Array<{ field: string; message: string }>;
}

/** Asserts an RFC 9457 answer with this status and code, and returns its body. */
export function expectProblem(response: Response, status: number, code: string): Problem {
  expect({ status: response.statusCode, contentType: response.headers['content-type'] }).toEqual({ status, contentType: expect.stringMatching(/^application\/problem\+json/) });
  const problem = response.json<Problem>();
  expect(problem).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String), instance: expect.any(String), requestId: response.headers['x-request-id'] });
  expect(problem.detail.length).toBeGreaterThan(0);
  return problem;
}

/** The fields a 400 validation problem names. */
export function invalidFields(response: Response): string[] {
  return (expectProblem(response, 400, 'REQUEST.INVALID').errors ?? []).map((error) => error.field);
}
