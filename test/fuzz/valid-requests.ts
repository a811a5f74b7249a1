import { SEEDED_TAX_YEAR } from '../helpers/seeded-tenant';
import { charge } from '../helpers/tax-flow';
import { submission } from '../helpers/venue-flow';
import { pdfBytes } from '../fixtures/document-bytes';
import type { FuzzTarget } from './fuzz-target';
import { exampleOf } from './json-schema-values';
import type { Operation } from './openapi-operations';

export interface MultipartFile {
  name: string;
  contentType: string;
  content: Buffer;
}

/** A request the document and the service accept: what each mutation starts from. */
export interface BaseRequest {
  pathParams: Record<string, string>;
  query: Record<string, string>;
  /** The JSON body; undefined for none. */
  body?: unknown;
  /** For multipart routes: the form fields (the body's string properties) and the file. */
  multipart?: { fields: Record<string, string>; file: MultipartFile };
}

interface Override {
  pathParams?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

/**
 * Real ids of the seeded tenant, so mutations reach the services and repositories. `id` depends
 * on the collection; a route not listed here gets a well-formed id that matches nothing (still
 * fuzzed, answering 404 where it looks the id up).
 */
function idFor(path: string, target: FuzzTarget): string {
  const t = target.tenant;
  const byCollection: Array<[string, string]> = [
    ['/api/v1/verifications/', t.actionRequiredId],
    ['/api/v1/documents/', t.documentIds[2] as string],
    ['/api/v1/screenings/', target.screeningId],
    ['/api/v1/alerts/', target.alertId],
    ['/api/v1/risk/flags/', t.flagId],
    ['/api/v1/privacy/requests/{id}/export-link', t.privacyRequestId],
    ['/api/v1/privacy/requests/{id}/refuse', target.refusablePrivacyRequestId],
    ['/api/v1/privacy/requests/', target.openPrivacyRequestId],
    ['/api/v1/tax/forms/', t.taxFormId],
  ];
  return byCollection.find(([prefix]) => path.startsWith(prefix))?.[1] ?? '00000000-0000-4000-8000-00000000f404';
}

function pathParamsFor(operation: Operation, target: FuzzTarget): Record<string, string> {
  const named: Record<string, string> = {
    venueId: target.tenant.venueId,
    subjectId: target.tenant.venueId,
    year: String(SEEDED_TAX_YEAR),
    sdnId: target.sdnId,
    factorKey: 'screening.not_run',
    name: 'verification-expiry',
  };
  return Object.fromEntries(
    operation.parameters
      .filter((parameter) => parameter.in === 'path')
      .map((parameter) => [parameter.name, parameter.name === 'id' ? idFor(operation.path, target) : (named[parameter.name] ?? String(exampleOf(parameter.schema)))]),
  );
}

/** Where the schema alone cannot give a request the service accepts (checksums, state, real ids). */
function overridesFor(target: FuzzTarget): Record<string, Override> {
  const t = target.tenant;
  const future = new Date(Date.now() + 30 * 86_400_000).toISOString();
  return {
    'POST /api/v1/venues/{venueId}/verifications': { pathParams: { venueId: 'venue-fuzz-new' }, body: submission() },
    'PUT /api/v1/verifications/{id}': { body: submission({ legalName: t.legalName }) },
    'POST /api/v1/verifications/{id}/decisions': { pathParams: { id: t.verificationId }, body: { decision: 'approve' } },
    'POST /api/v1/documents/{id}/decisions': { body: { decision: 'accepted' } },
    'PUT /api/v1/settings/four-eyes': { body: { enabled: true, minAnnualVolumeCents: 100 } },
    'POST /api/v1/screenings': { body: { name: 'Banco Nacional de Cuba', type: 'entity', country: 'CU' } },
    'GET /api/v1/screenings': { query: { verificationId: t.verificationId } },
    'POST /api/v1/screenings/batch': { body: { items: [{ name: 'Jane Fuzz', type: 'individual', dateOfBirth: '1980-12-10' }], lists: ['OFAC-SDN'] } },
    'POST /api/v1/screenings/{id}/matches/{sdnId}/disposition': { body: { decision: 'false_positive', reason: 'Different date of birth' } },
    'POST /api/v1/sanctions/imports': { body: { source: 'ofac', dir: 'ofac' } },
    'POST /api/v1/risk/assessments': { body: { venueId: t.venueId } },
    'POST /api/v1/venues/{venueId}/risk/override': { body: { level: 'monitor', reason: 'Known promoter', expiresAt: future } },
    'POST /api/v1/risk/flags': { body: { venueId: t.venueId, severity: 'low', category: 'chargebacks', description: 'Chargebacks rising' } },
    'POST /api/v1/risk/flags/{id}/resolve': { body: { note: 'Explained by the promoter' } },
    'PUT /api/v1/risk/weights/{factorKey}': { body: { points: 12 } },
    'POST /api/v1/tax/transactions': { body: charge('fuzz-charge-1', t.venueId, 1_000) },
    'GET /api/v1/tax/venues/{venueId}/summary': { query: { year: String(SEEDED_TAX_YEAR) } },
    'POST /api/v1/alerts/{id}/assign': { body: { assignee: t.officer.userId } },
    'POST /api/v1/alerts/{id}/comments': { body: { text: 'Checked the date of birth' } },
    'POST /api/v1/alerts/{id}/close': { body: { outcome: 'false_positive', reason: 'Different person' } },
    'POST /api/v1/privacy/requests': { body: { subjectId: t.venueId, type: 'access', reason: 'Asked for a copy' } },
    'POST /api/v1/privacy/requests/{id}/extend': { body: { months: 1, reason: 'Many records to collect' } },
    'POST /api/v1/privacy/requests/{id}/refuse': { body: { reason: 'Manifestly unfounded' } },
    'GET /api/v1/privacy/subjects/{subjectId}/restricted-records': { query: { reason: 'Legal claim by the venue' } },
  };
}

export function baseRequestsFor(operations: readonly Operation[], target: FuzzTarget): Map<string, BaseRequest> {
  const overrides = overridesFor(target);
  return new Map(
    operations.map((operation) => {
      const override = overrides[operation.key] ?? {};
      const requiredQuery = operation.parameters.filter((parameter) => parameter.in === 'query' && parameter.required);
      const base: BaseRequest = {
        pathParams: { ...pathParamsFor(operation, target), ...override.pathParams },
        query: override.query ?? Object.fromEntries(requiredQuery.map((parameter) => [parameter.name, String(exampleOf(parameter.schema))])),
      };
      if (operation.body?.contentType === 'multipart/form-data') {
        const { file: _file, ...fields } = exampleOf(operation.body.schema) as Record<string, string>;
        base.multipart = { fields, file: { name: 'fuzz.pdf', contentType: 'application/pdf', content: pdfBytes('fuzz') } };
      } else if (operation.body !== undefined) {
        base.body = override.body ?? exampleOf(operation.body.schema);
      }
      return [operation.key, base];
    }),
  );
}
