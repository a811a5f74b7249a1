import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LoggingProbeModule } from './fixtures/logging-probe.module';
import { startOverridableApp } from './helpers/overridable-app';
import { callerOf } from './helpers/tokens';

/** Names and emails being screened travel in query strings; a problem body must not hand them back. */
const QUERY = '?email=someone%40example.com&name=Jane+Doe';
const LEAKS = ['someone@example.com', 'someone%40example.com', 'email=', 'Jane'];

describe('problem+json bodies never echo the query string', () => {
  let app: NestFastifyApplication;
  let headers: { authorization: string };
  beforeAll(async () => {
    app = await startOverridableApp({ imports: [LoggingProbeModule] });
    headers = (await callerOf(['compliance_officer'])).headers;
  });
  afterAll(async () => app?.close());

  it.each([
    ['an unknown route', 'GET', `/api/v1/nowhere${QUERY}`, 404],
    ['a known path with another method', 'DELETE', `/test/logging/nothing${QUERY}`, 404],
    ['a path with broken percent-encoding', 'GET', `/test/logging/%E0%A4%A${QUERY}`, 400],
  ])('for %s', async (_case, method, url, status) => {
    // Under /api the caller is verified before routing: an unknown API route is a 404 for a caller.
    const response = await app.inject({ method: method as 'GET', url, headers });
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    for (const leak of LEAKS) expect(response.body).not.toContain(leak);
    expect(response.json().instance).toBe(url.split('?')[0]);
  });

  it('still names the path in a 404 detail', async () => {
    expect((await app.inject({ method: 'GET', url: `/api/v1/nowhere${QUERY}`, headers })).json().detail).toBe('Cannot GET /api/v1/nowhere');
  });
});
