import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli';

/** The subset of JSON Schema (draft 2020-12, OpenAPI 3.1's dialect) the generated document uses. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  default?: unknown;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = Uppercase<(typeof HTTP_METHODS)[number]>;

export interface OperationParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  /** `POST /api/v1/screenings`: the key valid-requests.ts and failure messages use. */
  key: string;
  method: HttpMethod;
  path: string;
  parameters: OperationParameter[];
  body: { contentType: string; schema: JsonSchema; required: boolean } | undefined;
  /** A success response the caller can choose by `Accept` (the route reads that header). */
  negotiatesAccept: boolean;
}

interface RawOperation {
  parameters?: OperationParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

export interface OpenApiDocument {
  paths: Record<string, Partial<Record<(typeof HTTP_METHODS)[number], RawOperation>>>;
}

/** The committed document (`npm run openapi` writes it; test/openapi.e2e-spec.ts keeps it current). */
export function committedDocument(): OpenApiDocument {
  return JSON.parse(readFileSync(join(ROOT, 'openapi.json'), 'utf8')) as OpenApiDocument;
}

/** How many operations the document declares, counted without the parsing below. */
export function operationCount(document: OpenApiDocument): number {
  return Object.values(document.paths).reduce((sum, item) => sum + Object.keys(item).filter((key) => (HTTP_METHODS as readonly string[]).includes(key)).length, 0);
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((lower) => {
      const raw = item[lower];
      if (raw === undefined) return [];
      const method = lower.toUpperCase() as HttpMethod;
      const content = Object.entries(raw.requestBody?.content ?? {})[0];
      const success = Object.entries(raw.responses ?? {}).filter(([status]) => status.startsWith('2'));
      return [
        {
          key: `${method} ${path}`,
          method,
          path,
          parameters: raw.parameters ?? [],
          body: content === undefined ? undefined : { contentType: content[0], schema: content[1].schema, required: raw.requestBody?.required === true },
          negotiatesAccept: success.some(([, response]) => Object.keys(response.content ?? {}).length > 1),
        },
      ];
    }),
  );
}

/** `/api/v1/venues/{venueId}/risk` with each `{name}` replaced by its value, already percent-encoded. */
export function fillPath(path: string, encodedValues: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    const value = encodedValues[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name} of ${path}`);
    return value;
  });
}

/** Fastify's route syntax (`:venueId`) in the document's (`{venueId}`). */
export function documentPathOf(fastifyUrl: string): string {
  return fastifyUrl.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
