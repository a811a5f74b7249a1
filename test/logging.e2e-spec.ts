import { ServiceProcess } from './helpers/service-process';
import { TEST_SECRETS } from './helpers/test-app';

describe('structured request logs (node dist/index.js)', () => {
  it('writes one JSON line per request with its id and route, without query string, secrets or probe noise', async () => {
    const { service, base } = await ServiceProcess.startOnTestDatabase({ SHUTDOWN_DRAIN_MS: '0' });
    try {
      for (let probe = 0; probe < 5; probe += 1) await fetch(`${base}/health/live`);
      await fetch(`${base}/metrics`);
      const secretToken = 'Bearer very-secret-token-value';
      await fetch(`${base}/admin/flags?email=someone@example.com`, { headers: { 'x-request-id': 'log-test-1', authorization: secretToken } });
      await new Promise((done) => setTimeout(done, 200));
    } finally {
      service.kill('SIGTERM');
      await service.exited;
    }
    const lines = service.output.join('').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = lines.filter((line) => line.context === 'Request');
    expect(requests).toEqual([
      expect.objectContaining({ requestId: 'log-test-1', method: 'GET', route: '/admin/flags', path: '/admin/flags', statusCode: 403, service: 'compliance-service', level: 30 }),
    ]);
    const everything = service.output.join('');
    expect(everything).not.toContain('someone@example.com');
    expect(everything).not.toContain('very-secret-token-value');
    expect(everything).not.toContain(TEST_SECRETS.JWT_SECRET);
  }, 30_000);
});
