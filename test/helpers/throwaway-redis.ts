import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port';
import { redisAnswers } from '../setup/test-services';

/** A redis-server of this test's own, so a test can stop it without touching the shared one. */
export class ThrowawayRedis {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  /** `port`: a restart on the port of a stopped one, so its clients reconnect to the same URL. */
  static async start(port?: number): Promise<ThrowawayRedis> {
    port ??= await freePort();
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const url = `redis://127.0.0.1:${port}`;
    for (let attempt = 0; attempt < 50; attempt += 1) {
      if (await redisAnswers(url)) return new ThrowawayRedis(url, child);
      await sleep(100);
    }
    child.kill('SIGKILL');
    throw new Error(`redis-server on port ${port} did not answer within 5 s`);
  }

  /** SIGKILL, like a crash: connections drop without a goodbye. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}
