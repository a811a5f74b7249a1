import { effectiveRiskLevel } from './effective-risk-level';

const now = new Date('2027-01-10T12:00:00Z');

describe('effective risk level', () => {
  it('is not_run from the assessment side before any assessment or override', () => {
    expect(effectiveRiskLevel(undefined, undefined, now)).toEqual({ level: 'not_run', source: 'assessment', overrideExpired: false });
  });

  it('is the latest assessment\'s level without an override', () => {
    expect(effectiveRiskLevel({ level: 'monitor' }, undefined, now)).toEqual({ level: 'monitor', source: 'assessment', overrideExpired: false });
  });

  it('is the override\'s level until it expires', () => {
    expect(effectiveRiskLevel({ level: 'block' }, { level: 'approve', expiresAt: new Date('2027-01-10T12:00:01Z') }, now)).toEqual({ level: 'approve', source: 'override', overrideExpired: false });
  });

  it('falls back to the assessment, flagged, once the override has expired (at its expiry instant)', () => {
    expect(effectiveRiskLevel({ level: 'block' }, { level: 'approve', expiresAt: now }, now)).toEqual({ level: 'block', source: 'assessment', overrideExpired: true });
  });
});
