import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CLOCK_TOLERANCE_SECONDS } from '../../src/auth/jwt-verifier';
import { craftedToken } from '../helpers/crafted-tokens';
import { expectProblem } from '../helpers/problem';
import { startTestApp, TEST_SECRETS } from '../helpers/test-app';

const NEW_SECRET = 'rotated-jwt-secret-0123456789abcdef01234567';

describe('JWT verification', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  const queue = (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/api/v1/review-queue', headers });

  it('asks for a Bearer token without an error code when the Authorization header is missing (RFC 6750 §3.1)', async () => {
    const response = await queue({});
    expectProblem(response, 401, 'AUTH.UNAUTHENTICATED');
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('names invalid_token in WWW-Authenticate when a token was sent but refused', async () => {
    const response = await queue(await craftedToken({ expiresIn: -3600 }));
    expect(response.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token", error_description="The token has expired"$/);
  });

  it(`tolerates ${CLOCK_TOLERANCE_SECONDS} s of clock skew on nbf and refuses a token not valid for longer`, async () => {
    expect((await queue(await craftedToken({ notBefore: CLOCK_TOLERANCE_SECONDS - 5 }))).statusCode).toBe(200);
    const early = await queue(await craftedToken({ notBefore: CLOCK_TOLERANCE_SECONDS + 30 }));
    expect(expectProblem(early, 401, 'AUTH.UNAUTHENTICATED').detail).toMatch(/nbf/);
  });

  it(`tolerates ${CLOCK_TOLERANCE_SECONDS} s of clock skew on exp`, async () => {
    expect((await queue(await craftedToken({ expiresIn: -(CLOCK_TOLERANCE_SECONDS - 10) }))).statusCode).toBe(200);
    expectProblem(await queue(await craftedToken({ expiresIn: -(CLOCK_TOLERANCE_SECONDS + 10) })), 401, 'AUTH.UNAUTHENTICATED');
  });

  it('serves probes and /metrics without a token', async () => {
    for (const url of ['/health/live', '/health/ready', '/metrics']) {
      const response = await app.inject({ method: 'GET', url });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
    }
  });

  describe('secret rotation', () => {
    it('accepts tokens signed with JWT_SECRET_PREVIOUS while it is configured, and the new secret\'s tokens', async () => {
      const rotating = await startTestApp({ JWT_SECRET: NEW_SECRET, JWT_SECRET_PREVIOUS: TEST_SECRETS.JWT_SECRET });
      try {
        const get = async (secret: string) => (await rotating.inject({ method: 'GET', url: '/api/v1/review-queue', headers: await craftedToken({ secret }) })).statusCode;
        expect(await get(TEST_SECRETS.JWT_SECRET)).toBe(200);
        expect(await get(NEW_SECRET)).toBe(200);
        expect(await get('some-third-secret-0123456789abcdef0123456')).toBe(401);
      } finally {
        await rotating.close();
      }
    });

    it('refuses tokens of the previous secret once JWT_SECRET_PREVIOUS is removed', async () => {
      const rotated = await startTestApp({ JWT_SECRET: NEW_SECRET });
      try {
        const old = await rotated.inject({ method: 'GET', url: '/api/v1/review-queue', headers: await craftedToken({ secret: TEST_SECRETS.JWT_SECRET }) });
        expect(expectProblem(old, 401, 'AUTH.UNAUTHENTICATED').detail).toMatch(/signature/);
      } finally {
        await rotated.close();
      }
    });
  });
});
