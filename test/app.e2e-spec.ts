import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startTestApp } from './helpers/test-app';
import { callerOf } from './helpers/tokens';

describe('HTTP basics: request ids and problem+json errors', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startTestApp({ HTTP_BODY_LIMIT_BYTES: '1024' }, (nest) => {
      // A route registered on Fastify directly, to exercise body parsing errors that happen before Nest.
      nest.getHttpAdapter().getInstance().post('/__test/echo', async (request) => request.body);
    });
  });

  afterAll(async () => {
    await app.close();
  });

  it('echoes a caller-supplied x-request-id', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'trace-42' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-request-id']).toBe('trace-42');
  });

  it('replaces an unsafe x-request-id with a generated UUID', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown API route with 401 to a stranger and 404 to a caller, as problem+json with the request id', async () => {
    const stranger = await app.inject({ method: 'GET', url: '/api/v1/nowhere', headers: { 'x-request-id': 'r-401' } });
    expect(stranger.json()).toMatchObject({ status: 401, code: 'AUTH.UNAUTHENTICATED', requestId: 'r-401' });
    const caller = await callerOf(['compliance_officer']);
    const response = await app.inject({ method: 'GET', url: '/api/v1/nowhere?email=someone@example.com', headers: { ...caller.headers, 'x-request-id': 'r-404' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: expect.stringContaining('/api/v1/nowhere'),
      instance: '/api/v1/nowhere',
      code: 'RESOURCE.NOT_FOUND',
      requestId: 'r-404',
    });
  });

  it('rejects invalid JSON with a 400 problem+json', async () => {
    const response = await app.inject({ method: 'POST', url: '/__test/echo', headers: { 'content-type': 'application/json' }, payload: '{"venue": ' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 400, code: 'REQUEST.INVALID', instance: '/__test/echo' });
  });

  it('rejects a body over the configured limit with 413', async () => {
    const response = await app.inject({ method: 'POST', url: '/__test/echo', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ pad: 'x'.repeat(2048) }) });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ status: 413, code: 'REQUEST.BODY_TOO_LARGE' });
  });

  it('rejects an unsupported content type with 415', async () => {
    const response = await app.inject({ method: 'POST', url: '/__test/echo', headers: { 'content-type': 'application/x-yaml' }, payload: 'a: 1' });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ status: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE' });
  });
});
