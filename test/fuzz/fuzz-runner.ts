import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Response } from 'light-my-request';
import type { FuzzCase } from './fuzz-cases';
import { changedTables, type RowCounter, type RowCounts } from './row-counts';

/** Far above any answer here (a few ms; an import of the fixture list ~100 ms on a busy machine). */
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Sends cases through `inject` and collects every broken promise instead of stopping at the first:
 * a 5xx, a request unanswered within REQUEST_TIMEOUT_MS, an error that is not RFC 9457
 * problem+json with status, title and detail, a status other than expected, another tenant's data.
 */
export class FuzzRunner {
  readonly failures: string[] = [];
  /** Operations whose valid request was not answered 2xx: their mutations may not reach the handler. */
  readonly failedBases: string[] = [];
  readonly operationsSent = new Set<string>();

  constructor(private readonly app: NestFastifyApplication) {}

  /** The status answered, or undefined for no answer in time. */
  async run(fuzzCase: FuzzCase): Promise<number | undefined> {
    this.operationsSent.add(fuzzCase.operation);
    const response = await this.answer(fuzzCase);
    if (response === undefined) {
      this.failures.push(`${fuzzCase.label}: no answer within ${REQUEST_TIMEOUT_MS} ms`);
      return undefined;
    }
    if (fuzzCase.isBase === true && response.statusCode >= 300) this.failedBases.push(`${fuzzCase.label}: ${response.statusCode} ${response.body.slice(0, 300)}`);
    const problem = brokenPromise(fuzzCase, response);
    if (problem !== undefined) this.failures.push(`${fuzzCase.label}: ${problem}`);
    return response.statusCode;
  }

  /**
   * Runs cases that are all to be refused, `concurrency` at a time: a refusal changes no state, so
   * their order does not matter (no route of the test app has a bulkhead or load shedding on).
   */
  async runConcurrently(cases: readonly FuzzCase[], concurrency: number): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let index = next++; index < cases.length; index = next++) await this.run(cases[index] as FuzzCase);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /**
   * Runs cases that may be accepted and checks the rows around refusals: a count before and after
   * each group of consecutive cases (the naughty strings of one slot, or a single case), compared
   * when every case of the group was refused. A group with an accepted case is not compared.
   */
  async runCheckingRows(cases: readonly FuzzCase[], counter: RowCounter): Promise<void> {
    let before: RowCounts = await counter.counts();
    for (let start = 0; start < cases.length; ) {
      const group = cases[start]?.group;
      let end = start + 1;
      while (group !== undefined && end < cases.length && cases[end]?.group === group) end += 1;
      const statuses: Array<number | undefined> = [];
      for (const fuzzCase of cases.slice(start, end)) statuses.push(await this.run(fuzzCase));
      const after = await counter.counts();
      const changed = changedTables(before, after);
      if (changed.length > 0 && statuses.every((status) => status !== undefined && status >= 400)) {
        this.failures.push(`${group ?? cases[start]?.label}: refused (${statuses.join(', ')}) yet rows changed (${changed.join(', ')})`);
      }
      before = after;
      start = end;
    }
  }

  private async answer(fuzzCase: FuzzCase): Promise<Response | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), REQUEST_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.app.inject(fuzzCase.request), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function brokenPromise(fuzzCase: FuzzCase, response: Response): string | undefined {
  const { statusCode: status } = response;
  const excerpt = `${response.body.slice(0, 300)}${response.body.length > 300 ? '…' : ''}`;
  if (status >= 500) return `${status} ${excerpt}`;
  if (typeof fuzzCase.expectation === 'number' && status !== fuzzCase.expectation) return `expected ${fuzzCase.expectation}, got ${status} ${excerpt}`;
  if (fuzzCase.expectation === 'refused' && status < 400) return `the document calls this invalid, yet it was accepted with ${status} ${excerpt}`;
  if (status === fuzzCase.mustNotBe) return `answered ${status} ${excerpt}`;
  // The caller's own words echoed back (a 404's `instance` is the path it asked for) are no leak.
  const sent = `${String(fuzzCase.request.url)} ${String(fuzzCase.request.payload ?? '')}`;
  const leaked = fuzzCase.mustNotContain?.find((marker) => response.body.includes(marker) && !sent.includes(marker));
  if (leaked !== undefined) return `another tenant's data in a ${status} answer: ${JSON.stringify(leaked)}`;
  if (status < 400) return undefined;
  const contentType = String(response.headers['content-type'] ?? '');
  if (!contentType.startsWith('application/problem+json')) return `a ${status} as ${contentType || 'no content type'}, not application/problem+json: ${excerpt}`;
  let problem: { status?: unknown; title?: unknown; detail?: unknown };
  try {
    problem = response.json();
  } catch {
    return `a ${status} problem whose body is not JSON: ${excerpt}`;
  }
  if (problem.status !== status || typeof problem.title !== 'string' || problem.title === '' || typeof problem.detail !== 'string' || problem.detail === '') {
    return `a ${status} problem without matching status, title and detail: ${excerpt}`;
  }
  return undefined;
}
