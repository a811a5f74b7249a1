import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './generated/openapi';

/** The API as the committed openapi.json describes it: the console cannot call what does not exist. */
export const api = createClient<paths>({ baseUrl: location.origin });

const TOKEN_KEY = 'compliance-console-token';

/**
 * With a pasted (or, in development, minted) token, every request carries it; behind the
 * platform's SSO proxy there is none here, and the proxy adds the user's token on the way.
 */
export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token.trim()),
  signOut: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

const authorization: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token !== null) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
};
api.use(authorization);

type Problem = components['schemas']['Problem'];

/** A refusal, as the API's problem+json put it (RFC 9457), with the fields it names. */
export class ApiProblem extends Error {
  constructor(readonly status: number, readonly problem: Partial<Problem> & { errors?: Array<{ field: string; message: string }> }) {
    const fields = (problem.errors ?? []).map((error) => `${error.field}: ${error.message}`).join('; ');
    super(`${problem.title ?? `HTTP ${status}`}: ${problem.detail ?? ''}${fields === '' ? '' : ` (${fields})`}`);
  }
}

/** The data of a successful answer; a refusal throws ApiProblem. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok && data !== undefined) return data;
  if (response.status === 401) window.dispatchEvent(new CustomEvent('console:unauthorized'));
  throw new ApiProblem(response.status, (error ?? {}) as Partial<Problem>);
}

/** A fresh idempotency key per user action: a retried click never applies twice. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
