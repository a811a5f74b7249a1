import { applyDecorators, Body, Param, Query } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { ZodValidationPipe } from '../common/zod-validation.pipe';

type JsonSchema = Record<string, unknown>;

/**
 * zod is the one validation library (STYLE.md); its JSON Schema export (draft 2020-12, the
 * dialect of OpenAPI 3.1) documents the same schemas the pipes enforce, so the document cannot
 * drift from what the API accepts.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return jsonSchema;
}

/** Documents a JSON body; pair with `@ValidBody(schema)` on the parameter. */
export const ApiJsonBody = (schema: z.ZodType): MethodDecorator => ApiBody({ schema: jsonSchemaOf(schema) as never });

/** Documents each property of a query schema as a query parameter. */
export function ApiQueryFrom(schema: z.ZodObject): MethodDecorator {
  const properties = jsonSchemaOf(schema).properties as Record<string, JsonSchema>;
  const required = new Set((jsonSchemaOf(schema).required as string[] | undefined) ?? []);
  return applyDecorators(...Object.entries(properties).map(([name, property]) => ApiQuery({ name, required: required.has(name), schema: property as never })));
}

export function ApiPathParams(schema: z.ZodObject): MethodDecorator {
  const properties = jsonSchemaOf(schema).properties as Record<string, JsonSchema>;
  return applyDecorators(...Object.entries(properties).map(([name, property]) => ApiParam({ name, required: true, schema: property as never })));
}

export const ApiResult = (status: number, description: string, schema?: z.ZodType): MethodDecorator =>
  ApiResponse({ status, description, ...(schema === undefined ? {} : { schema: jsonSchemaOf(schema, 'output') as never }) });

export const ValidBody = (schema: z.ZodType): ParameterDecorator => Body(new ZodValidationPipe(schema));
export const ValidQuery = (schema: z.ZodType): ParameterDecorator => Query(new ZodValidationPipe(schema));
export const ValidParams = (schema: z.ZodType): ParameterDecorator => Param(new ZodValidationPipe(schema));

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: the problem lists each bad field',
  401: 'Missing, malformed, badly signed or expired token',
  403: 'The token\'s roles do not allow this operation',
  404: 'Not found for this caller (another tenant\'s or venue\'s ids answer the same)',
  409: 'Conflicts with the resource\'s current state',
  413: 'Body or file too large',
  415: 'Unsupported content type',
  422: 'Well-formed but not acceptable (e.g. an Idempotency-Key reused with another body)',
};

/** Every error is RFC 9457 problem+json; the document says which a route can answer. */
export function ApiProblems(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      }),
    ),
  );
}
