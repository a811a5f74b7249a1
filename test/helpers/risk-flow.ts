import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { pdfBytes } from '../fixtures/document-bytes';
import { callerOf, type TestCaller } from './tokens';
import { acceptDocument, decide, startVerification, upload } from './venue-flow';

export interface RiskFactorItem {
  key: string;
  description: string;
  points: number;
  evidence: Record<string, unknown>;
}

export interface AssessmentBody {
  id: string;
  venueId: string;
  verificationId: string | null;
  score: number;
  level: string;
  factors: RiskFactorItem[];
  thresholds: { monitor: number; manualReview: number; block: number };
  assessedBy: string;
  assessedAt: string;
}

/** A venue whose verification officers approved with its W-9 and owner ID accepted (a second officer when four-eyes applies). */
export async function verifiedVenue(app: NestFastifyApplication, officer: TestCaller, venueId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const verification = await startVerification(app, officer, venueId, overrides);
  const ownerId = verification.beneficialOwners[0]?.id as string;
  const w9 = await upload(app, officer, venueId, { kind: 'W9' }, pdfBytes(`w9 ${venueId}`));
  const id = await upload(app, officer, venueId, { kind: 'ID', ownerId }, pdfBytes(`id ${venueId}`));
  await acceptDocument(app, officer, w9.json<{ id: string }>().id);
  await acceptDocument(app, officer, id.json<{ id: string }>().id);
  let decision = await decide(app, officer, verification.id, 'approve');
  if (decision.statusCode === 200 && decision.json<{ state: string }>().state === 'in_review') {
    decision = await decide(app, await callerOf(['compliance_officer'], { tenantId: officer.tenantId }), verification.id, 'approve');
  }
  if (decision.statusCode !== 200 || decision.json<{ state: string }>().state !== 'verified') throw new Error(`approve: ${decision.statusCode} ${decision.body}`);
  return verification.id;
}

export async function assess(app: NestFastifyApplication, caller: TestCaller, venueId: string): Promise<AssessmentBody> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/risk/assessments', headers: caller.headers, payload: { venueId } });
  if (response.statusCode !== 201) throw new Error(`assess: ${response.statusCode} ${response.body}`);
  return response.json();
}

export async function raiseFlag(app: NestFastifyApplication, caller: TestCaller, venueId: string, severity: string, category = 'chargebacks'): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/risk/flags', headers: caller.headers, payload: { venueId, severity, category, description: `${severity} ${category}` } });
  if (response.statusCode !== 201) throw new Error(`raise flag: ${response.statusCode} ${response.body}`);
  return response.json<{ id: string }>().id;
}

export function factorKeys(assessment: AssessmentBody): string[] {
  return assessment.factors.map((factor) => factor.key);
}
