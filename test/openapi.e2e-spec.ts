import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp } from './helpers/test-app';

describe('the OpenAPI document', () => {
  it('is served at /docs with Swagger UI while API_DOCS is on, and is the committed openapi.json', async () => {
    const app = await startTestApp();
    try {
      const document = await app.inject({ method: 'GET', url: '/docs/openapi.json' });
      expect(document.statusCode).toBe(200);
      const served = document.json<{ openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } }>();
      expect(served.openapi).toBe('3.1.0');
      expect(Object.keys(served.paths)).toEqual(expect.arrayContaining(['/api/v1/verifications/{id}', '/api/v1/venues/{venueId}/payout-eligibility']));
      expect(Object.keys(served.paths).every((path) => path.startsWith('/api/'))).toBe(true);
      expect(served.components.schemas.Problem).toBeDefined();
      const committed = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8')) as { paths: Record<string, unknown> };
      expect(Object.keys(served.paths).sort()).toEqual(Object.keys(committed.paths).sort());
      expect((await app.inject({ method: 'GET', url: '/docs' })).headers['content-type']).toMatch(/text\/html/);
    } finally {
      await app.close();
    }
  });

  it('is not served with API_DOCS off (the production default)', async () => {
    const app = await startTestApp({ API_DOCS: 'false' });
    try {
      expect((await app.inject({ method: 'GET', url: '/docs/openapi.json' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});
