import type { InjectOptions } from 'light-my-request';
import { multipartBody } from '../fixtures/document-bytes';
import { fillPath, type Operation } from './openapi-operations';
import type { MultipartFile } from './valid-requests';

/** What a fuzz case changes in its operation's valid request. */
export interface RequestParts {
  pathParams: Record<string, string>;
  /** Sent as they are, without percent-encoding (broken encodings). */
  rawPathParams?: Record<string, string>;
  query: Record<string, string | string[]>;
  /** A JSON value, serialised; `rawNumber(...)` places a literal JSON cannot express from JS. */
  body?: unknown;
  /** Bytes sent as they are (malformed JSON, other content types). */
  rawBody?: string | Buffer;
  contentType?: string;
  multipart?: { fields: Record<string, string>; file?: MultipartFile };
  /** undefined removes a header (e.g. no Authorization). */
  headers: Record<string, string | undefined>;
}

const RAW_MARK = '\u0000raw-number:';
const RAW_LITERAL = /"\\u0000raw-number:([^"\\]+)"/g;

/** A number literal such as `1e400` (Infinity once parsed) or 30 digits, placed as is in the JSON text. */
export function rawNumber(literal: string): string {
  return `${RAW_MARK}${literal}`;
}

export function jsonTextOf(body: unknown): string {
  return JSON.stringify(body).replace(RAW_LITERAL, '$1');
}

/** Percent-encoded UTF-8, as a client sends it: a lone surrogate (no UTF-8 form) becomes U+FFFD. */
export function percentEncoded(text: string): string {
  return encodeURIComponent(Buffer.from(text, 'utf8').toString('utf8'));
}

export function queryStringOf(query: Record<string, string | string[]>): string {
  const pairs = Object.entries(query).flatMap(([name, value]) => [value].flat().map((item) => `${percentEncoded(name)}=${percentEncoded(item)}`));
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

export function injectOptionsOf(operation: Operation, parts: RequestParts): InjectOptions {
  const encoded = Object.fromEntries(Object.entries(parts.pathParams).map(([name, value]) => [name, percentEncoded(value)]));
  const path = fillPath(operation.path, { ...encoded, ...parts.rawPathParams });
  const headers = Object.fromEntries(Object.entries(parts.headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const options: InjectOptions = { method: operation.method, url: `${path}${queryStringOf(parts.query)}`, headers };
  if (parts.multipart !== undefined) {
    const form = multipartBody(parts.multipart.fields, parts.multipart.file);
    return { ...options, headers: { ...form.headers, ...headers }, payload: form.payload };
  }
  if (parts.rawBody !== undefined) {
    return { ...options, headers: parts.contentType === undefined ? headers : { 'content-type': parts.contentType, ...headers }, payload: parts.rawBody };
  }
  if (parts.body !== undefined) return { ...options, headers: { 'content-type': 'application/json', ...headers }, payload: jsonTextOf(parts.body) };
  return options;
}
