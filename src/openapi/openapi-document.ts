import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE } from '../common/problem-details';
import { jsonSchemaOf } from './zod-openapi.decorators';

/** RFC 9457 problem details as ProblemDetailsFilter writes them. */
const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string(),
  code: z.string().describe('stable identifier, e.g. VERIFICATION.ILLEGAL_TRANSITION'),
  requestId: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

export const BEARER_SCHEME = 'bearer';

/** The OpenAPI 3.1 document of everything under /api, built from the controllers' decorators. */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('compliance-service')
    .setDescription(
      'Venue verification (KYB), documents, payout eligibility and the audit log of the ticketing platform. ' +
        `Every error is RFC 9457 ${PROBLEM_CONTENT_TYPE} with a stable \`code\` and the \`requestId\`.`,
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
    .addSecurityRequirements(BEARER_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    include: [],
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  // Only the public API: admin and ops routes are documented in the README and runbook.
  document.paths = Object.fromEntries(Object.entries(document.paths).filter(([path]) => path.startsWith('/api/')));
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: jsonSchemaOf(problemSchema, 'output') as never } };
  return document;
}
