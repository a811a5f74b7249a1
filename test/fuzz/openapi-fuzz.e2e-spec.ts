import { badTokens, tokensForOperation } from './bad-tokens';
import { DocumentOracle } from './document-oracle';
import { casesFor, type FuzzCase, type FuzzContext } from './fuzz-cases';
import { FuzzRunner } from './fuzz-runner';
import { type FuzzTarget, startFuzzTarget } from './fuzz-target';
import { NAUGHTY_STRINGS } from './naughty-strings';
import { committedDocument, operationCount, operationsOf } from './openapi-operations';
import { changedTables, RowCounter } from './row-counts';
import { type BaseRequest, baseRequestsFor } from './valid-requests';
import { WEBHOOK_OPERATIONS, webhookCases } from './webhook-cases';

/**
 * Schema-driven bad input (issue 14): every operation of the committed openapi.json gets missing,
 * unknown and mistyped fields, boundary numbers, huge strings, the Big List of Naughty Strings in
 * every string field, query and path parameter and the headers it reads, malformed JSON, other
 * content types, oversized bodies and bad tokens; the signed webhook routes get bad signatures.
 * Never a 5xx or a hang, every error problem+json, and refused requests change no row.
 */
describe('bad input on every operation of the OpenAPI document', () => {
  const document = committedDocument();
  const operations = operationsOf(document);
  const oracle = new DocumentOracle();
  let target: FuzzTarget;
  let counter: RowCounter;
  let bases: Map<string, BaseRequest>;
  let cases: FuzzCase[];

  beforeAll(async () => {
    target = await startFuzzTarget();
    counter = await RowCounter.of(target.db);
    bases = baseRequestsFor(operations, target);
    let slot = 0;
    let operationNumber = 0;
    const tokens = await badTokens(target.tenant.tenantId);
    const context: FuzzContext = {
      oracle,
      caller: target.caller.headers,
      stranger: target.stranger.headers,
      nextBadTokens: () => tokensForOperation(tokens, (operationNumber += 1)),
      leakMarkers: [target.tenant.legalName, target.tenant.verificationId],
      nextNaughtySlot: () => (slot += 1),
    };
    cases = [
      ...operations.flatMap((operation) => casesFor(operation, bases.get(operation.key) as BaseRequest, context)),
      ...webhookCases(target.tenant.tenantId, target.tenant.venueId, context.nextNaughtySlot),
    ];
  }, 60_000);

  afterAll(async () => {
    await target?.close();
  });

  it('covers every operation of the document, which lists every /api route the app serves, and sends every naughty string', () => {
    const fuzzed = new Set(cases.map((fuzzCase) => fuzzCase.operation).filter((key) => key.includes(' /api/')));
    expect(fuzzed.size).toBe(operationCount(document));
    expect(operations.map((operation) => operation.key).sort()).toEqual([...target.apiRoutes].sort());
    expect(new Set(cases.flatMap((fuzzCase) => fuzzCase.naughtyIndexes ?? [])).size).toBe(NAUGHTY_STRINGS.length);
  });

  it('starts each operation from a request the document calls valid', () => {
    const invalid = operations.filter((operation) => {
      const base = bases.get(operation.key) as BaseRequest;
      const body = base.multipart === undefined ? base.body : { ...base.multipart.fields, file: '' };
      return !(oracle.parametersAreValid(operation, 'path', base.pathParams) && oracle.parametersAreValid(operation, 'query', base.query) && oracle.bodyIsValid(operation, body));
    });
    expect(invalid.map((operation) => `${operation.key}: add a valid request to test/fuzz/valid-requests.ts`)).toEqual([]);
  });

  it('refuses what the document calls invalid, bad tokens and bad signatures with a 4xx problem, other tenants\' ids with 404, and writes no row', async () => {
    const refused = cases.filter((fuzzCase) => fuzzCase.expectation !== 'answered');
    const runner = new FuzzRunner(target.app);
    const before = await counter.counts();
    await runner.runConcurrently(refused, 4);
    const after = await counter.counts();
    expect(runner.failures).toEqual([]);
    expect(changedTables(before, after)).toEqual([]);
    expect(runner.operationsSent.size).toBe(operationCount(document) + WEBHOOK_OPERATIONS.length);
  }, 120_000);

  it('answers naughty strings, numbers at the edges and odd headers without a 5xx, every error as problem+json, a refusal writing no row, and each valid request with 2xx', async () => {
    const answered = cases.filter((fuzzCase) => fuzzCase.expectation === 'answered');
    const runner = new FuzzRunner(target.app);
    await runner.runCheckingRows(answered, counter);
    expect(runner.failures).toEqual([]);
    expect(runner.failedBases).toEqual([]);
    expect(runner.operationsSent.size).toBe(operationCount(document) + WEBHOOK_OPERATIONS.length);
  }, 120_000);
});
