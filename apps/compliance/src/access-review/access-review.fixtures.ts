// Members, roles and keys for the access review engine's unit specs.
import type { KeyRecord, SnapshotEntry, SnapshotRole } from './snapshot';

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
