import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PacedCallersOptions {
  url: string;
  /** Callers, each with its own keep-alive connection and one request at a time. */
  callers: number;
  /** Requests per second, all callers together. */
  rate: number;
  seconds: number;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** The next request's body (POST). */
  body?: () => string;
}

export interface PacedCallersResult {
  answered: number;
  non2xx: number;
  errors: number;
  /** Answered requests per second over the run. */
  perSecond: number;
  /** Milliseconds, ascending. */
  latencies: number[];
}

/** The value at quantile `q` of ascending `sorted` (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number);
}

/**
 * Open-loop load at a steady rate: `callers` callers each send on a fixed schedule (every
 * callers ÷ rate seconds, staggered), one request at a time. autocannon's overallRate does not do
 * this: each connection sends its share of a second back to back as the second starts and then
 * idles, so the server sees bursts as wide as the connection count, and latencies are corrected
 * for a 1 ms interval besides. A caller still waiting for an answer when its next request is due
 * sends it at once, and that request's latency counts from when it was due (the wait is the
 * server's); one that waited on its timer counts from the actual send (the timer's slack is ours).
 */
export async function pacedCallers(options: PacedCallersOptions): Promise<PacedCallersResult> {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.callers });
  const intervalMs = (options.callers * 1000) / options.rate;
  const startsAt = performance.now() + 20;
  const endsAt = startsAt + options.seconds * 1000;
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;

  const send = (body: string | undefined): Promise<number> =>
    new Promise((answered, failed) => {
      // A length rather than chunked encoding, and no Nagle delay: one segment per request, as autocannon sends.
      const headers = body === undefined ? options.headers : { ...options.headers, 'content-length': String(Buffer.byteLength(body)) };
      const outgoing = request(
        { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: options.method, headers, agent },
        (response) => {
          response.resume();
          response.once('end', () => answered(response.statusCode ?? 0));
          response.once('error', failed);
        },
      );
      outgoing.once('error', failed);
      outgoing.once('socket', (socket) => socket.setNoDelay(true));
      outgoing.end(body);
    });

  const caller = async (index: number): Promise<void> => {
    for (let k = 0; ; k++) {
      const due = startsAt + (index / options.callers + k) * intervalMs;
      if (due >= endsAt) return;
      const early = due - performance.now();
      if (early > 0) await sleep(early);
      const from = early > 0 ? performance.now() : due;
      try {
        const status = await send(options.body?.());
        latencies.push(performance.now() - from);
        if (status < 200 || status >= 300) non2xx++;
      } catch {
        errors++;
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: options.callers }, (_caller, index) => caller(index)));
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - startsAt) / 1000;
  latencies.sort((a, b) => a - b);
  return { answered: latencies.length, non2xx, errors, perSecond: latencies.length / seconds, latencies };
}
