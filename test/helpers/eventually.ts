import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `read` every 100 ms until it answers a value, and fails after `timeoutMs` naming `what`:
 * how tests wait for background work (jobs, polls) without fixed sleeps.
 */
export async function eventually<T>(read: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const startedAt = Date.now();
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() - startedAt > timeoutMs) throw new Error(`Not within ${timeoutMs} ms: ${what}`);
    await sleep(100);
  }
}
