// Members, roles and keys for the access review engine's unit specs.
import { decide, draftCampaign, startCampaign, type Campaign } from './campaign';
import { DEFAULT_ACCESS_REVIEW_SETTINGS } from './flags';
import { takeSnapshot, type KeyRecord, type SnapshotEntry, type SnapshotRole } from './snapshot';

export const takenAt = new Date('2027-04-01T09:00:00Z');
const day = 86_400_000;
export const daysBefore = (n: number, from = takenAt): Date => new Date(from.getTime() - n * day);

export const OWNER: SnapshotRole = { id: 'role-owner', name: 'Owner', system: true };
export const ADMIN: SnapshotRole = { id: 'role-admin', name: 'Admin', system: true };
export const MEMBER: SnapshotRole = { id: 'role-member', name: 'Member', system: true };
export const AUDITOR: SnapshotRole = { id: 'role-auditor', name: 'Auditor', system: true };
/** A custom role that happens to be called Admin: not the system role. */
export const FAKE_ADMIN: SnapshotRole = { id: 'role-custom', name: 'Admin', system: false };

export function person(memberId: string, over: Partial<Omit<SnapshotEntry, 'memberId'>> = {}): SnapshotEntry {
  return {
    memberId,
    name: memberId.charAt(0).toUpperCase() + memberId.slice(1),
    email: `${memberId}@acme.example`,
    joinedAt: daysBefore(400),
    roles: [MEMBER],
    apiKeys: [],
    lastSignInAt: daysBefore(2),
    mfaEnrolled: true,
    ...over,
  };
}

export function key(id: string, createdBy: string, over: Partial<KeyRecord> = {}): KeyRecord {
  return { id, name: `key ${id}`, prefix: `pk_${id}`, role: MEMBER, createdAt: daysBefore(100), lastUsedAt: daysBefore(1), expiresAt: null, createdBy, revokedAt: null, ...over };
}

export const created = daysBefore(1);
export const now = new Date(takenAt.getTime() + 3_600_000);
export const settings = { ...DEFAULT_ACCESS_REVIEW_SETTINGS, mfaRequired: true };
export const strip = ({ apiKeys: _k, ...rest }: ReturnType<typeof person>) => rest;

// A campaign over four members: ann (Owner) and bob review; cat is dormant; dan has an unused key.
const members = [
  strip(person('ann', { roles: [OWNER] })),
  strip(person('bob', { roles: [ADMIN] })),
  strip(person('cat', { lastSignInAt: daysBefore(200) })),
  strip(person('dan')),
];
export const snapshot = takeSnapshot(members, [key('k1', 'dan', { lastUsedAt: null })], takenAt);
export const previous = [person('ann', { roles: [OWNER] }), person('bob', { roles: [MEMBER] }), person('eve')];
export const reviewers = { ann: 'bob', bob: 'ann', cat: 'ann', dan: 'bob' };
export const pool = ['ann', 'bob'];

export function ok(out: ReturnType<typeof draftCampaign>): Campaign {
  if (!out.ok) throw new Error(`${out.field}: ${out.reason}`);
  return out.value;
}
export const draft = () => ok(draftCampaign({ id: 'c1', name: ' Q2 2027 access review ', createdBy: 'ann', dueAt: new Date('2027-04-15T09:00:00Z') }, created));
export const started = () => ok(startCampaign(draft(), { snapshot, previous, reviewers, pool, settings }, takenAt));
export function allDecided(): Campaign {
  let c = started();
  c = ok(decide(c, 'ann', { kind: 'KEEP', note: 'Founder; Owner needed' }, 'bob', now));
  c = ok(decide(c, 'bob', { kind: 'CHANGE_ROLE', note: 'Admin was for the migration only', roleIds: ['role-member'] }, 'ann', now));
  c = ok(decide(c, 'cat', { kind: 'REVOKE', note: 'Left in January' }, 'ann', now));
  return ok(decide(c, 'dan', { kind: 'DEFER', note: 'Ask his manager' }, 'bob', now));
}
