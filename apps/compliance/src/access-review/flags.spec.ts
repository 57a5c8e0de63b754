import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_REVIEW_SETTINGS, flagsFor, validateAccessReviewSettings } from './flags';
import { ADMIN, FAKE_ADMIN, OWNER, daysBefore, key, person, takenAt } from './access-review.fixtures';

const settings = DEFAULT_ACCESS_REVIEW_SETTINGS; // dormant after 90 days, MFA not required, unused keys after 30 days
const codes = (e: ReturnType<typeof person>, s = settings) => flagsFor(e, s, takenAt).map((f) => (f.apiKeyId ? `${f.code}:${f.apiKeyId}` : f.code));

describe('flags', () => {
  it('flags nothing on an active member without privileges', () => {
    expect(codes(person('ann'))).toEqual([]);
  });

  it('flags dormant from the last sign-in, or from joining for one who never signed in', () => {
    expect(codes(person('ann', { lastSignInAt: daysBefore(89) }))).toEqual([]);
    expect(flagsFor(person('ann', { lastSignInAt: daysBefore(90) }), settings, takenAt)).toEqual([{ code: 'DORMANT', apiKeyId: null, detail: 'No sign-in for 90 days' }]);
    expect(codes(person('ann', { lastSignInAt: null, joinedAt: daysBefore(10) }))).toEqual([]);
    expect(flagsFor(person('ann', { lastSignInAt: null, joinedAt: daysBefore(120) }), settings, takenAt)[0]?.detail).toBe('Never signed in, 120 days since joining');
    expect(codes(person('ann', { lastSignInAt: daysBefore(40) }), { ...settings, dormantDays: 30 })).toEqual(['DORMANT']);
  });

  it('flags no MFA only where the org requires it', () => {
    expect(codes(person('ann', { mfaEnrolled: false }))).toEqual([]);
    expect(codes(person('ann', { mfaEnrolled: false }), { ...settings, mfaRequired: true })).toEqual(['NO_MFA']);
    expect(codes(person('ann'), { ...settings, mfaRequired: true })).toEqual([]);
  });

  it('flags holders of the system Owner or Admin role, not a custom role of that name', () => {
    expect(flagsFor(person('ann', { roles: [OWNER, ADMIN] }), settings, takenAt)).toEqual([{ code: 'PRIVILEGED', apiKeyId: null, detail: 'Holds Owner and Admin' }]);
    expect(codes(person('ann', { roles: [FAKE_ADMIN] }))).toEqual([]);
  });

  it('flags API keys never used past the grace period, past expiry, or with a privileged role', () => {
    const e = person('ann', {
      apiKeys: [
        key('fresh', 'ann', { lastUsedAt: null, createdAt: daysBefore(29) }),
        key('unused', 'ann', { lastUsedAt: null, createdAt: daysBefore(30) }),
        key('expired', 'ann', { expiresAt: takenAt }),
        key('valid', 'ann', { expiresAt: new Date(takenAt.getTime() + 1) }),
        key('admin', 'ann', { role: ADMIN }),
      ],
    });
    expect(codes(e)).toEqual(['API_KEY_NEVER_USED:unused', 'API_KEY_EXPIRED:expired', 'PRIVILEGED:admin']);
    expect(flagsFor(e, settings, takenAt).find((f) => f.apiKeyId === 'expired')?.detail).toBe('API key key expired (pk_expired) expired on 2027-04-01 and is not revoked');
  });

  it('validates the org settings', () => {
    expect(validateAccessReviewSettings(settings)).toMatchObject({ ok: true });
    expect(validateAccessReviewSettings({ ...settings, dormantDays: 6 })).toMatchObject({ ok: false, field: 'dormantDays' });
    expect(validateAccessReviewSettings({ ...settings, unusedKeyGraceDays: -1 })).toMatchObject({ ok: false, field: 'unusedKeyGraceDays' });
  });
});
