import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { cleanEnv, ROOT } from './cli';

/** `node dist/index.js` as its own process, the way the container and `npm start` run it. */
export class ServiceProcess {
  readonly output: string[] = [];
  private readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [join(ROOT, 'dist', 'index.js')], { cwd: ROOT, env: { ...cleanEnv(), ...env } });
    this.child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Polls `url` until it answers `status`, or fails after `timeoutMs` with the process output. */
  async waitFor(url: string, status = 200, timeoutMs = 15_000): Promise<number> {
    const startedAt = Date.now();
    while (Date.now() - startedAt < timeoutMs) {
      const answered = await fetch(url).then((response) => response.status, () => undefined);
      if (answered === status) return Date.now() - startedAt;
      await new Promise((done) => setTimeout(done, 50));
    }
    throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms. Output:\n${this.output.join('')}`);
  }
}
