import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { platformSignatureHeader } from '../../src/modules/webhooks/platform-signature';
import { pdfBytes, pngBytes } from '../fixtures/document-bytes';
import { charge, insertCharges, recordTransaction } from './tax-flow';
import { TEST_SECRETS } from './test-app';
import { callerOf, type TestCaller } from './tokens';
import { acceptDocument, decide, startVerification, upload } from './venue-flow';

/** A tenant with something in every table: what isolation tests try to reach from another tenant. */
export interface SeededTenant {
  tenantId: string;
  officer: TestCaller;
  manager: TestCaller;
  owner: TestCaller;
  venueId: string;
  legalName: string;
  verificationId: string;
  ownerId: string;
  documentIds: string[];
  /** A second verification, sent back for changes: open for resubmission. */
  actionRequiredId: string;
  actionRequiredVenueId: string;
  /** An open risk flag of `venueId`, counted in its assessment. */
  flagId: string;
  assessmentId: string;
  overrideId: string;
  /** The tax year seeded: `venueId` crossed the federal threshold and has a generated form. */
  taxYear: number;
  taxChargeId: string;
  /** A completed access request about `venueId`: its export is stored. */
  privacyRequestId: string;
  taxFormId: string;
}

export const SEEDED_TAX_YEAR = 2026;

async function expectStatus(response: { statusCode: number; body: string }, status: number, what: string): Promise<void> {
  if (response.statusCode !== status) throw new Error(`${what}: ${response.statusCode} ${response.body}`);
}

/**
 * Risk: a tenant weight override, an open flag and an assessment of `venueId` (its verification
 * follows the level), and a manager's override of the level, expiring in 30 days.
 */
async function seedRisk(app: NestFastifyApplication, officer: TestCaller, manager: TestCaller, venueId: string): Promise<{ flagId: string; assessmentId: string; overrideId: string }> {
  await expectStatus(await app.inject({ method: 'PUT', url: '/api/v1/risk/weights/screening.not_run', headers: manager.headers, payload: { points: 12 } }), 200, 'risk weight');
  const flag = await app.inject({ method: 'POST', url: '/api/v1/risk/flags', headers: officer.headers, payload: { venueId, severity: 'medium', category: 'chargebacks', description: 'Chargeback rate above 1 %' } });
  await expectStatus(flag, 201, 'risk flag');
  const assessment = await app.inject({ method: 'POST', url: '/api/v1/risk/assessments', headers: officer.headers, payload: { venueId } });
  await expectStatus(assessment, 201, 'risk assessment');
  const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const override = await app.inject({ method: 'POST', url: `/api/v1/venues/${venueId}/risk/override`, headers: manager.headers, payload: { level: 'approve', reason: 'Known promoter', expiresAt } });
  await expectStatus(override, 201, 'risk override');
  return { flagId: flag.json<{ id: string }>().id, assessmentId: assessment.json<{ id: string }>().id, overrideId: override.json<{ override: { id: string } }>().override.id };
}

/**
 * Verifications (one four-eyes with a first approval, one sent back), owners, decisions, documents
 * with content and decisions, tenant settings, an idempotency key, risk data (seedRisk), tax
 * transactions over the federal 1099-K threshold with their crossing event and generated form, a
 * stored platform webhook event, and the audit entries of all of it.
 */
export async function seedTenant(app: NestFastifyApplication, label: string): Promise<SeededTenant> {
  const officer = await callerOf(['compliance_officer']);
  const tenantId = officer.tenantId;
  const manager = await callerOf(['compliance_manager'], { tenantId });
  const venueId = `venue-${label}`;
  const actionRequiredVenueId = `venue-${label}-changes`;
  const owner = await callerOf(['venue_owner'], { tenantId, venueIds: [venueId, actionRequiredVenueId] });
  const legalName = `Secret Hall of ${label} LLC`;

  const settings = await app.inject({ method: 'PUT', url: '/api/v1/settings/four-eyes', headers: manager.headers, payload: { enabled: true, minAnnualVolumeCents: 100 } });
  await expectStatus(settings, 200, 'four-eyes settings');
  const verification = await startVerification(app, owner, venueId, { legalName, expectedAnnualVolumeCents: 500 });
  const ownerId = verification.beneficialOwners[0]?.id as string;
  const w9 = await upload(app, owner, venueId, { kind: 'W9' }, pdfBytes(`w9 ${label}`));
  await expectStatus(w9, 201, 'W-9 upload');
  const id = await upload(app, owner, venueId, { kind: 'ID', ownerId }, pngBytes(), 'passport.png', 'image/png');
  await expectStatus(id, 201, 'ID upload');
  await acceptDocument(app, officer, w9.json<{ id: string }>().id);
  await acceptDocument(app, officer, id.json<{ id: string }>().id);
  await expectStatus(await decide(app, officer, verification.id, 'approve'), 200, 'first approval');

  const changes = await startVerification(app, owner, actionRequiredVenueId, { legalName });
  const sentBack = await app.inject({
    method: 'POST',
    url: `/api/v1/verifications/${changes.id}/decisions`,
    headers: { ...officer.headers, 'idempotency-key': `seed-${label}` },
    payload: { decision: 'request_changes', reason: 'Address does not match' },
  });
  await expectStatus(sentBack, 200, 'request changes');
  const other = await upload(app, owner, actionRequiredVenueId, { kind: 'OTHER' }, pdfBytes(`other ${label}`));
  await expectStatus(other, 201, 'other upload');

  const risk = await seedRisk(app, officer, manager, venueId);
  const tax = await seedTax(app, tenantId, venueId, label);
  const privacyRequestId = await seedPrivacyRequest(app, officer, manager, venueId);

  return {
    ...risk,
    ...tax,
    privacyRequestId,
    tenantId,
    officer,
    manager,
    owner,
    venueId,
    legalName,
    verificationId: verification.id,
    ownerId,
    documentIds: [w9.json<{ id: string }>().id, id.json<{ id: string }>().id, other.json<{ id: string }>().id],
    actionRequiredId: changes.id,
    actionRequiredVenueId,
  };
}

async function seedPrivacyRequest(app: NestFastifyApplication, officer: TestCaller, manager: TestCaller, venueId: string): Promise<string> {
  const created = await app.inject({ method: 'POST', url: '/api/v1/privacy/requests', headers: officer.headers, payload: { subjectId: venueId, type: 'access', reason: 'Asked for a copy' } });
  await expectStatus(created, 201, 'privacy request');
  const id = created.json<{ id: string }>().id;
  await expectStatus(await app.inject({ method: 'POST', url: `/api/v1/privacy/requests/${id}/complete`, headers: manager.headers }), 200, 'privacy request completion');
  return id;
}

async function seedTax(app: NestFastifyApplication, tenantId: string, venueId: string, label: string): Promise<Pick<SeededTenant, 'taxYear' | 'taxChargeId' | 'taxFormId'>> {
  const service = await callerOf(['service'], { tenantId });
  const admin = await callerOf(['admin'], { tenantId });
  await insertCharges(app.get(DataSource), tenantId, venueId, SEEDED_TAX_YEAR, 200, 2_000_000);
  const taxChargeId = `charge-${label}`;
  await expectStatus(await recordTransaction(app, service, charge(taxChargeId, venueId, 1_000)), 201, 'crossing charge');
  await expectStatus(await app.inject({ method: 'POST', url: `/api/v1/tax/forms/${SEEDED_TAX_YEAR}/generate`, headers: admin.headers }), 200, 'generate forms');
  const forms = await app.inject({ method: 'GET', url: `/api/v1/tax/forms/${SEEDED_TAX_YEAR}`, headers: admin.headers });
  const taxFormId = forms.json<{ items: Array<{ id: string }> }>().items[0]?.id as string;
  const body = JSON.stringify({ id: `evt-${label}-${tenantId}`, type: 'ticket_sale.completed', tenantId, data: { saleId: `sale-${label}`, venueId, amount: 2_500, currency: 'USD', occurredAt: '2026-05-01T20:00:00Z' } });
  const signature = platformSignatureHeader(body, TEST_SECRETS.WEBHOOK_SECRET, Math.floor(Date.now() / 1000));
  await expectStatus(await app.inject({ method: 'POST', url: '/webhooks/platform', headers: { 'content-type': 'application/json', 'x-signature': signature }, payload: body }), 200, 'platform webhook');
  return { taxYear: SEEDED_TAX_YEAR, taxChargeId, taxFormId };
}
