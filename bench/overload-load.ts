/**
 * Child process of bench/overload.bench.ts: a wrk2-style open-loop load generator. Requests are
 * scheduled at a fixed rate whatever the server does and go out over a fixed pool of keep-alive
 * connections, opened before the clock starts (as a load balancer's upstream pool); a request whose
 * turn comes while every connection is busy waits for one. Latency counts from the scheduled send
 * time, so a slow server cannot slow the offered load down and hide its own queueing (coordinated
 * omission). Closed mode instead keeps every connection busy (one request after the other) to
 * find the capacity. argv[2]: JSON Plan; prints a JSON LoadSummary.
 */
import { Agent, get } from 'node:http';

interface Plan {
  mode: 'open' | 'closed';
  url: string;
  warmUrl: string;
  ratePerSecond: number;
  durationMs: number;
  timeoutMs: number;
  connections: number;
}

export interface LoadSummary {
  scheduled: number;
  /** Answers by status that completed inside the window within the timeout. */
  byStatus: Record<string, number>;
  /** Latencies (ms, from the scheduled send) of those 2xx answers, ascending. */
  okLatenciesMs: number[];
  /** Answered, but later than the timeout after their scheduled send. */
  timeouts: number;
  /** Never answered within the timeout after the window closed, or failed (codes in errorCodes). */
  unanswered: number;
  errorCodes: Record<string, number>;
  /** Answered after the window closed (backlog), within the timeout. */
  late: number;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as Plan;
const agent = new Agent({ keepAlive: true, maxSockets: plan.connections, maxFreeSockets: plan.connections });
const summary: LoadSummary = { scheduled: 0, byStatus: {}, okLatenciesMs: [], timeouts: 0, unanswered: 0, errorCodes: {}, late: 0 };
let outstanding = 0;
let startedAt = 0;
let windowEnd = 0;

function request(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    }).on('error', reject);
  });
}

function record(status: number, scheduledAt: number): void {
  const now = performance.now();
  if (now - scheduledAt > plan.timeoutMs) summary.timeouts += 1;
  else if (now > windowEnd) summary.late += 1;
  else {
    summary.byStatus[status] = (summary.byStatus[status] ?? 0) + 1;
    if (status >= 200 && status < 300) summary.okLatenciesMs.push(now - scheduledAt);
  }
}

function failed(error: NodeJS.ErrnoException): void {
  summary.unanswered += 1;
  summary.errorCodes[error.code ?? error.message] = (summary.errorCodes[error.code ?? error.message] ?? 0) + 1;
}

async function send(scheduledAt: number): Promise<void> {
  outstanding += 1;
  try {
    record(await request(plan.url), scheduledAt);
  } catch (error) {
    failed(error as NodeJS.ErrnoException);
  } finally {
    outstanding -= 1;
  }
}

function tick(): void {
  const now = performance.now();
  const due = Math.floor((Math.min(now, windowEnd) - startedAt) * plan.ratePerSecond / 1000);
  while (summary.scheduled < due) {
    void send(startedAt + (summary.scheduled * 1000) / plan.ratePerSecond);
    summary.scheduled += 1;
  }
  if (now < windowEnd) setTimeout(tick, 1);
  else finish();
}

function finish(): void {
  const deadline = performance.now() + plan.timeoutMs;
  const wait = () => {
    if (outstanding > 0 && performance.now() < deadline) {
      setTimeout(wait, 50);
      return;
    }
    summary.unanswered += outstanding;
    summary.okLatenciesMs.sort((a, b) => a - b);
    process.stdout.write(JSON.stringify(summary));
    process.exit(0);
  };
  wait();
}

/** Every connection sends its next request as soon as the last one is answered. */
async function closedLoop(): Promise<void> {
  await Promise.all(
    Array.from({ length: plan.connections }, async () => {
      while (performance.now() < windowEnd) {
        summary.scheduled += 1;
        await send(performance.now());
      }
    }),
  );
  finish();
}

async function main(): Promise<void> {
  // Open the pool before the clock starts: every connection at once, on a cheap route.
  await Promise.all(Array.from({ length: plan.connections }, () => request(plan.warmUrl)));
  startedAt = performance.now();
  windowEnd = startedAt + plan.durationMs;
  if (plan.mode === 'open') tick();
  else await closedLoop();
}

void main();
