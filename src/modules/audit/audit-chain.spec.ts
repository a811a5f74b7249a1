import fc from 'fast-check';
import { auditHash, canonicalJson, type ChainedAuditContent, GENESIS_HASH, personalDigest } from './audit-chain';

const content: ChainedAuditContent = {
  tenantId: '7d0f1c2e-0000-4000-8000-000000000001',
  seq: 1,
  actor: 'officer-1',
  actorRoles: ['compliance_officer'],
  action: 'verification.approved',
  resourceType: 'verification',
  resourceId: 'v-1',
  requestId: 'req-1',
  before: { state: 'in_review' },
  after: { state: 'verified' },
  occurredAt: new Date('2026-12-01T10:00:00.123Z'),
};

describe('audit chain hash', () => {
  it('does not depend on the order in which object keys were written (jsonb reorders them)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean())), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
    );
  });

  it('changes when any covered field or the previous hash changes', () => {
    const original = auditHash(content, GENESIS_HASH);
    expect(auditHash({ ...content, after: { state: 'rejected' } }, GENESIS_HASH)).not.toEqual(original);
    expect(auditHash({ ...content, actor: 'officer-2' }, GENESIS_HASH)).not.toEqual(original);
    expect(auditHash({ ...content, seq: 2 }, GENESIS_HASH)).not.toEqual(original);
    expect(auditHash({ ...content, occurredAt: new Date('2026-12-01T10:00:00.124Z') }, GENESIS_HASH)).not.toEqual(original);
    expect(auditHash(content, Buffer.alloc(32, 1))).not.toEqual(original);
    expect(auditHash({ ...content }, GENESIS_HASH)).toEqual(original);
  });

  it('hashes rows without a subject as before the subject columns existed', () => {
    expect(auditHash({ ...content, subjectId: undefined, personalDigest: undefined }, GENESIS_HASH)).toEqual(auditHash(content, GENESIS_HASH));
    expect(auditHash({ ...content, subjectId: 'venue-1', personalDigest: 'ab' }, GENESIS_HASH)).not.toEqual(auditHash({ ...content, subjectId: 'venue-1', personalDigest: 'ac' }, GENESIS_HASH));
  });
});

describe('personal digest', () => {
  const personal = { fullName: 'Grace Hopper', dateOfBirth: '1976-12-09' };

  it('is keyed by the subject\'s salt: without it the same values give an unrelated digest', () => {
    const salt = Buffer.alloc(32, 7);
    expect(personalDigest(salt, personal)).toEqual(personalDigest(Buffer.from(salt), { dateOfBirth: '1976-12-09', fullName: 'Grace Hopper' }));
    expect(personalDigest(Buffer.alloc(32, 8), personal)).not.toEqual(personalDigest(salt, personal));
    expect(personalDigest(salt, { ...personal, fullName: 'Grace Hoper' })).not.toEqual(personalDigest(salt, personal));
  });
});
