import { setTimeout as sleep } from 'node:timers/promises';

export interface TrafficRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** One kind of call in a traffic mix; `write` ones are checked in the database afterwards. */
export interface TrafficOperation {
  name: string;
  write: boolean;
  next(): TrafficRequest;
  /** The id a 2xx answer acknowledges (`id` of the created record). */
  acknowledgedId?(body: unknown): string | undefined;
}

export interface Outcome {
  operation: string;
  write: boolean;
  /** Milliseconds since the traffic started (performance.now() based, like `elapsedMs`). */
  startedAt: number;
  finishedAt: number;
  /** 0 when no HTTP answer arrived (connection refused or reset, or the client's own timeout). */
  status: number;
  contentType: string;
  retryAfter: string | null;
  /** Kept for answers that are not 2xx (truncated), to say what went wrong. */
  body?: string;
  /** The stable `code` of a problem+json answer. */
  code?: string;
  acknowledgedId?: string;
  failure?: string;
}

/** No request may take longer than this; a hung request shows as a failure instead of a hung test. */
const CLIENT_TIMEOUT_MS = 20_000;
const TICK_MS = 10;

/**
 * An open-loop load generator: sends `ratePerSecond` requests a second whatever the answers, the
 * way independent clients do, cycling through `operations`. A server that stalls shows as growing
 * `inFlight` rather than as a slower send rate (a closed loop would hide a pile-up).
 */
export class FixedRateTraffic {
  readonly outcomes: Outcome[] = [];
  private readonly running = new Set<Promise<void>>();
  private sent = 0;
  private startedAt = 0;
  private ticking = false;
  private ticker: Promise<void> | undefined;
  maxInFlight = 0;

  constructor(
    private readonly base: string,
    private readonly operations: TrafficOperation[],
    private readonly ratePerSecond: number,
  ) {}

  get elapsedMs(): number {
    return performance.now() - this.startedAt;
  }

  get inFlight(): number {
    return this.running.size;
  }

  start(): void {
    this.startedAt = performance.now();
    this.ticking = true;
    this.ticker = this.tick();
  }

  /** Stops sending and waits for every request in flight; returns every outcome. */
  async stop(): Promise<Outcome[]> {
    this.ticking = false;
    await this.ticker;
    await Promise.all([...this.running]);
    return this.outcomes;
  }

  private async tick(): Promise<void> {
    while (this.ticking) {
      const due = Math.floor((this.elapsedMs * this.ratePerSecond) / 1_000);
      while (this.sent < due) {
        const operation = this.operations[this.sent % this.operations.length] as TrafficOperation;
        this.sent += 1;
        const call = this.send(operation).finally(() => this.running.delete(call));
        this.running.add(call);
        this.maxInFlight = Math.max(this.maxInFlight, this.running.size);
      }
      // Unreferenced: a test that failed before stop() must not keep Jest from exiting.
      await sleep(TICK_MS, undefined, { ref: false });
    }
  }

  private async send(operation: TrafficOperation): Promise<void> {
    const startedAt = this.elapsedMs;
    const answer = await call(this.base, operation.next());
    const outcome: Outcome = {
      operation: operation.name,
      write: operation.write,
      startedAt,
      finishedAt: this.elapsedMs,
      status: answer.status,
      contentType: answer.contentType,
      retryAfter: answer.retryAfter,
      failure: answer.failure,
    };
    if (answer.status >= 200 && answer.status < 300) outcome.acknowledgedId = operation.acknowledgedId?.(answer.json);
    else Object.assign(outcome, { body: answer.text.slice(0, 500), code: (answer.json as { code?: string } | undefined)?.code });
    this.outcomes.push(outcome);
  }
}

export interface Answer {
  /** 0 when no HTTP answer arrived; `failure` says why. */
  status: number;
  contentType: string;
  retryAfter: string | null;
  /** The IETF RateLimit field: present when the request was counted against a limit. */
  rateLimit: string | null;
  text: string;
  json: unknown;
  durationMs: number;
  failure?: string;
}

/** One request, never throwing: a refused or reset connection or the client timeout is an answer with status 0. */
export async function call(base: string, request: TrafficRequest): Promise<Answer> {
  const startedAt = performance.now();
  try {
    const response = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: request.body === undefined ? request.headers : { ...request.headers, 'content-type': 'application/json' },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      retryAfter: response.headers.get('retry-after'),
      rateLimit: response.headers.get('ratelimit'),
      text,
      json: parseJson(text),
      durationMs: performance.now() - startedAt,
    };
  } catch (error) {
    return { status: 0, contentType: '', retryAfter: null, rateLimit: null, text: '', json: undefined, durationMs: performance.now() - startedAt, failure: describeFailure(error) };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** fetch's own message is "fetch failed"; the cause says ECONNREFUSED, ECONNRESET or the timeout. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return [`${error.name}: ${error.message}`, cause?.code, cause?.message].filter((part) => part !== undefined).join(' / ');
}

/** Outcomes that are not a 2xx answer, in a form that reads well in a failed expectation. */
export function failedOutcomes(outcomes: Outcome[]): string[] {
  return outcomes
    .filter((outcome) => outcome.status < 200 || outcome.status >= 300)
    .map((outcome) => `${Math.round(outcome.startedAt)} ms ${outcome.operation}: ${outcome.failure ?? `${outcome.status} ${outcome.body ?? ''}`}`);
}
