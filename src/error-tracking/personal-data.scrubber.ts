import type { Breadcrumb, Event, Exception, NodeOptions, RequestEventData } from '@sentry/node';

/** A span as the SDK streams it (its default `traceLifecycle`); the type is not re-exported by @sentry/node. */
type StreamedSpan = Parameters<NonNullable<NodeOptions['beforeSendSpan']>>[0];

/** Request headers that help triage and identify nobody. */
export const TRIAGE_HEADERS: ReadonlySet<string> = new Set(['accept', 'content-length', 'content-type', 'user-agent', 'x-request-id']);

/** Sentry's own contexts (runtime, OS, trace); any other context is something code attached. */
const KEPT_CONTEXTS = new Set(['app', 'cloud_resource', 'culture', 'device', 'os', 'runtime', 'trace']);

/**
 * Words of a key (`contactEmail`, `http.request.header.authorization`, `url.query`) that make its
 * value personal data, a document or a credential, wherever it sits: span data, extras, tags,
 * breadcrumb data. Short words match whole (`ein`, not `protein`), the others within a word.
 */
const SENSITIVE_WORD = /mail|name|message|connection|birth|address|phone|document|content|body|payload|file|authorization|cookie|signature|token|secret|password|idempotency|parameter|header/;
/** `url.query`, `http.query`, `queryString`; not `db.query.text`, the parameterised statement. */
const QUERY_KEY = /query_?string$|query$/i;
const SENSITIVE_SHORT_WORDS = new Set(['ein', 'tin', 'ssn', 'dob']);
/**
 * The SDK's own names (of the route's span, of the SDK) despite the word `name`; their values are
 * still masked. `sentry.status.message` is not among them: a failed query's status quotes the row.
 */
const SDK_NAMING_ATTRIBUTES: ReadonlySet<string> = new Set(['sentry.segment.name', 'sentry.segment.name.source', 'sentry.sdk.name']);

const TEXT_MASKS: Array<[RegExp, string]> = [
  [/[^\s@"'<>()[\]{},;:]+@[^\s@"'<>()[\]{},;:]+\.[a-z]{2,}/gi, '[email]'],
  // EIN (12-3456789), SSN/ITIN (123-45-6789), or either as nine bare digits.
  [/\b\d{2}-\d{7}\b/g, '[tin]'],
  [/\b\d{3}-\d{2}-\d{4}\b/g, '[tin]'],
  [/\b\d{9}\b/g, '[tin]'],
];

/**
 * What may leave for Sentry. Nothing the caller sent does: request bodies (W-9s, legal names,
 * EINs, beneficial owners), query strings (the names and emails being screened), cookies and
 * credential or signature headers. Known shapes are dropped whole; free text that survives
 * (exception messages, span descriptions) has emails and taxpayer numbers masked.
 * Errors: `beforeSend`.
 */
export function scrubEvent<T extends Event>(event: T): T {
  return {
    ...event,
    message: maskText(event.message),
    logentry: event.logentry && { message: maskText(event.logentry.message) },
    transaction: maskText(withoutQuery(event.transaction)),
    request: event.request && scrubRequest(event.request),
    user: undefined,
    extra: event.extra && scrubAttributes(event.extra),
    tags: event.tags && scrubAttributes(event.tags),
    contexts: event.contexts && scrubContexts(event.contexts),
    exception: event.exception && { values: event.exception.values?.map(scrubException) },
    breadcrumbs: event.breadcrumbs?.flatMap((breadcrumb) => scrubBreadcrumb(breadcrumb) ?? []),
  };
}

/** Traces: a span's name can hold the raw URL, its attributes the query string and request headers. */
export function scrubSpan(span: StreamedSpan): StreamedSpan {
  const attributes = scrubAttributes(span.attributes);
  const origin = attributes['sentry.origin'];
  const originText = isRecord(origin) ? origin.value : origin;
  // A Redis statement quotes its keys and values (cached screening results): only the command stays.
  if (typeof originText === 'string' && originText.startsWith('auto.db.redis')) {
    attributes['db.query.text'] = scrubValue('db.query.text', attributes['db.query.text'], (statement) => statement.split(/\s/)[0] ?? '');
  }
  return { ...span, name: maskText(withoutQuery(span.name)), attributes };
}

/** Log lines can quote anything, so console breadcrumbs are dropped; the rest keep their shape. */
export function scrubBreadcrumb(breadcrumb: Breadcrumb): Breadcrumb | null {
  if (breadcrumb.category === 'console') return null;
  return { ...breadcrumb, message: maskText(withoutQuery(breadcrumb.message)), data: breadcrumb.data && scrubAttributes(breadcrumb.data) };
}

function scrubRequest(request: RequestEventData): RequestEventData {
  const headers = Object.entries(request.headers ?? {}).filter(([name]) => TRIAGE_HEADERS.has(name.toLowerCase()));
  return { method: request.method, url: request.url === undefined ? undefined : maskText(urlWithoutQuery(request.url)), headers: Object.fromEntries(headers) };
}

function scrubException(exception: Exception): Exception {
  const frames = exception.stacktrace?.frames?.map(({ vars: _localVariables, ...frame }) => frame);
  return {
    ...exception,
    value: maskText(exception.value),
    stacktrace: exception.stacktrace && { ...exception.stacktrace, frames },
  };
}

function scrubContexts(contexts: NonNullable<Event['contexts']>): NonNullable<Event['contexts']> {
  const kept = Object.entries(contexts).filter(([name]) => KEPT_CONTEXTS.has(name));
  return Object.fromEntries(kept.map(([name, context]) => [name, name === 'trace' ? scrubTraceContext(context) : context]));
}

/** The trace context carries the root span's attributes (`url.full`, `http.query`, …). */
function scrubTraceContext(context: NonNullable<Event['contexts']>[string]): NonNullable<Event['contexts']>[string] {
  if (context === undefined || !isRecord(context.data)) return context;
  return { ...context, data: scrubAttributes(context.data) };
}

function scrubAttributes<T>(attributes: Record<string, T>): Record<string, T>;
function scrubAttributes<T>(attributes: Record<string, T> | undefined): Record<string, T> | undefined;
function scrubAttributes<T>(attributes: Record<string, T> | undefined): Record<string, T> | undefined {
  if (attributes === undefined) return undefined;
  const kept = Object.entries(attributes).filter(([key]) => SDK_NAMING_ATTRIBUTES.has(key) || !isSensitiveKey(key));
  return Object.fromEntries(kept.map(([key, value]) => [key, scrubValue(key, value)]));
}

/** `shorten` replaces the default for strings: the URL without its query for URL-like keys, else the text. */
function scrubValue<T>(key: string, value: T, shorten: (text: string) => string = defaultShortening(key)): T {
  if (typeof value === 'string') return maskText(shorten(value)) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => scrubValue(key, item, shorten)) as T;
  // A typed span attribute, `{ value, type }`: judged by the key it sits under.
  if (isRecord(value) && 'value' in value) return { ...value, value: scrubValue(key, value.value, shorten) } as T;
  if (isRecord(value)) return scrubAttributes(value) as T;
  return value;
}

function defaultShortening(key: string): (text: string) => string {
  return /url|target|path/i.test(key) ? urlWithoutQuery : (text) => text;
}

function isSensitiveKey(key: string): boolean {
  const words = key.split(/[^a-zA-Z]+|(?<=[a-z])(?=[A-Z])/).map((word) => word.toLowerCase());
  return QUERY_KEY.test(key) || words.some((word) => SENSITIVE_SHORT_WORDS.has(word) || SENSITIVE_WORD.test(word));
}

/** A URL value: everything from `?` or `#` on, spaces included (a name in a query is often not encoded). */
function urlWithoutQuery(url: string): string {
  return url.replace(/[?#][\s\S]*$/, '');
}

/** Free text (a span name, a message): the query string up to the next space. */
function withoutQuery(text: string): string;
function withoutQuery(text: string | undefined): string | undefined;
function withoutQuery(text: string | undefined): string | undefined {
  return text?.replace(/[?#]\S*/g, '');
}

function maskText(text: string): string;
function maskText(text: string | undefined): string | undefined;
function maskText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return TEXT_MASKS.reduce((masked, [pattern, mask]) => masked.replace(pattern, mask), text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
