import { type ChildProcess, spawn } from 'node:child_process';
import { cleanEnv, ROOT } from './cli';
import { freePort } from './free-port';
import { serviceStartArgs } from './service-start-args';
import { TEST_SECRETS } from './test-app';
import { requireEnv } from './test-database';

/** The service as its own process, started the way the container and `npm start` start it. */
export class ServiceProcess {
  readonly output: string[] = [];
  private readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /**
   * `checkout`: another copy of the project to run from (as its working directory); `args` after
   * `node`: `npm start`'s flags and dist/index.js unless a test runs another entry point (test/fixtures).
   */
  constructor(env: NodeJS.ProcessEnv, { checkout = ROOT, args }: { checkout?: string; args?: string[] } = {}) {
    this.child = spawn(process.execPath, args ?? serviceStartArgs(checkout), { cwd: checkout, env: { ...cleanEnv(), ...env } });
    this.child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** The service as a pod runs it (production settings), on this run's database and Redis; waits until ready. */
  static async startOnTestDatabase(env: NodeJS.ProcessEnv = {}, args?: string[]): Promise<{ service: ServiceProcess; base: string }> {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const service = new ServiceProcess({
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: requireEnv('TEST_APP_DATABASE_URL'),
      REDIS_URL: process.env.TEST_REDIS_URL,
      REDIS_KEY_PREFIX: process.env.TEST_REDIS_PREFIX,
      ...TEST_SECRETS,
      LOG_LEVEL: 'info',
      ...env,
    }, { args });
    await service.waitFor(`${base}/health/ready`);
    return { service, base };
  }

  /** The child's process id (resilience tests read its memory from /proc/<pid>/status). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Polls `url` until it answers `status`, or fails after `timeoutMs` with the process output. */
  // Generous: a start on a loaded 2-core CI machine is slow; start-up speed is measured in bench/, not here.
  async waitFor(url: string, status = 200, timeoutMs = 45_000): Promise<number> {
    const startedAt = Date.now();
    while (Date.now() - startedAt < timeoutMs) {
      const answered = await fetch(url).then((response) => response.status, () => undefined);
      if (answered === status) return Date.now() - startedAt;
      await new Promise((done) => setTimeout(done, 50));
    }
    throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms. Output:\n${this.output.join('')}`);
  }
}
