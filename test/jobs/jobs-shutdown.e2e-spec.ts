import { migratedScratchDatabase } from '../helpers/flag-store';
import { ServiceProcess } from '../helpers/service-process';

describe('the job engine in the graceful shutdown', () => {
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await migratedScratchDatabase('jobstop');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('stops pg-boss after the HTTP server has closed and before the process exits 0', async () => {
    const { service } = await ServiceProcess.startOnTestDatabase({ DATABASE_URL: database.url, SHUTDOWN_DRAIN_MS: '0', JOBS_POLL_INTERVAL_SECONDS: '0.5' });
    const output = () => service.output.join('');
    expect(output()).toContain('Job engine started (workers on): event-delivery, event-delivery-sweep, event-fanout, job-runs-pruning, privacy-due-reminders, retention-enforcement, sanctions-list-refresh, sanctions-rescreen, sanctions-rescreen-chunk, tax-form-1099k-generation, verification-expiry');
    service.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    // Two loggers write these lines through buffers of their own, so the output's order is not the
    // order of events: each JSON line's own time is.
    const lines = output().split('\n');
    const times = ['Closing the HTTP server', 'Stopping the job engine', 'Job engine stopped', 'Shutdown complete'].map((phrase) => {
      const line = lines.find((candidate) => candidate.includes(phrase));
      expect(line).toBeDefined();
      return (JSON.parse(line as string) as { time: number }).time;
    });
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  }, 30_000);

  it('runs no workers with JOBS_WORKERS=false, yet accepts runs for other instances to work', async () => {
    const { service } = await ServiceProcess.startOnTestDatabase({ DATABASE_URL: database.url, SHUTDOWN_DRAIN_MS: '0', JOBS_WORKERS: 'false' });
    expect(service.output.join('')).toContain('Job engine started (JOBS_WORKERS=false: enqueue only)');
    service.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
  }, 30_000);
});
