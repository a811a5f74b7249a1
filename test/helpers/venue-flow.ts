import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { pdfBytes, multipartBody } from '../fixtures/document-bytes';
import type { TestCaller } from './tokens';

/** A valid submission; `expectedAnnualVolumeCents` at or above 5,000,000 turns four-eyes on. */
export function submission(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    legalName: 'Blue Note Hall LLC',
    ein: '12-3456789',
    businessAddress: { line1: '131 W 3rd St', city: 'New York', region: 'NY', postalCode: '10012', country: 'US' },
    contactEmail: 'owner@bluenote.example',
    expectedAnnualVolumeCents: 1_000_000,
    beneficialOwners: [{ fullName: 'Ada Lovelace', dateOfBirth: '1980-12-10', ownershipPercent: 60 }],
    ...overrides,
  };
}

export async function startVerification(app: NestFastifyApplication, caller: TestCaller, venueId: string, overrides: Record<string, unknown> = {}) {
  const response = await app.inject({ method: 'POST', url: `/api/v1/venues/${venueId}/verifications`, headers: caller.headers, payload: submission(overrides) });
  if (response.statusCode !== 201) throw new Error(`start verification: ${response.statusCode} ${response.body}`);
  return response.json<{ id: string; beneficialOwners: Array<{ id: string }>; state: string }>();
}

export async function upload(app: NestFastifyApplication, caller: TestCaller, venueId: string, fields: Record<string, string>, content = pdfBytes(), name = 'w9.pdf', contentType = 'application/pdf') {
  const body = multipartBody(fields, { name, contentType, content });
  return app.inject({ method: 'POST', url: `/api/v1/venues/${venueId}/documents`, headers: { ...caller.headers, ...body.headers }, payload: body.payload });
}

export async function decide(app: NestFastifyApplication, caller: TestCaller, verificationId: string, decision: string, reason?: string) {
  return app.inject({ method: 'POST', url: `/api/v1/verifications/${verificationId}/decisions`, headers: caller.headers, payload: { decision, ...(reason === undefined ? {} : { reason }) } });
}

export async function acceptDocument(app: NestFastifyApplication, caller: TestCaller, documentId: string) {
  const response = await app.inject({ method: 'POST', url: `/api/v1/documents/${documentId}/decisions`, headers: caller.headers, payload: { decision: 'accepted' } });
  if (response.statusCode !== 200) throw new Error(`accept document: ${response.statusCode} ${response.body}`);
}
