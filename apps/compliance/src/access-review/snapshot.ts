// The scope of an access review, frozen when the campaign starts: each member with their
// roles, the API keys they created, last sign-in and MFA enrolment; and how it differs
// from the previous campaign's scope. Pure.

export interface SnapshotRole {
  id: string;
  name: string;
  /** One of the five system roles (Owner, Admin, Member, Auditor, Viewer) rather than a custom one. */
  system: boolean;
}

export interface SnapshotApiKey {
  id: string;
  name: string;
  prefix: string;
  role: SnapshotRole;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

export interface SnapshotEntry {
  /** The member's user id. */
  memberId: string;
  name: string;
  email: string;
  joinedAt: Date;
  roles: SnapshotRole[];
  apiKeys: SnapshotApiKey[];
  lastSignInAt: Date | null;
  mfaEnrolled: boolean;
}

/** An API key as identity holds it: who created it and whether it was revoked. */
export type KeyRecord = SnapshotApiKey & { createdBy: string; revokedAt: Date | null };

export interface Snapshot {
  takenAt: Date;
  entries: SnapshotEntry[];
  /** Live keys whose creator is no longer a member: nobody answers for them. */
  orphanedApiKeys: SnapshotApiKey[];
}

const byId = <T extends { id: string }>(a: T, b: T): number => a.id.localeCompare(b.id);

function keyOnly(k: KeyRecord): SnapshotApiKey {
  return { id: k.id, name: k.name, prefix: k.prefix, role: k.role, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt, expiresAt: k.expiresAt };
}

/** Freezes the scope at `takenAt`: live (unrevoked) keys go to their creator's entry. */
export function takeSnapshot(members: readonly Omit<SnapshotEntry, 'apiKeys'>[], keys: readonly KeyRecord[], takenAt: Date): Snapshot {
  const live = keys.filter((k) => !k.revokedAt || k.revokedAt.getTime() > takenAt.getTime());
  const memberIds = new Set(members.map((m) => m.memberId));
  const entries = members
    .map((m) => ({ ...m, roles: [...m.roles].sort(byId), apiKeys: live.filter((k) => k.createdBy === m.memberId).map(keyOnly).sort(byId) }))
    .sort((a, b) => a.memberId.localeCompare(b.memberId));
  return { takenAt, entries, orphanedApiKeys: live.filter((k) => !memberIds.has(k.createdBy)).map(keyOnly).sort(byId) };
}

/**
 * NEW: not in the previous campaign's scope (everyone, in an org's first campaign);
 * UNCHANGED: there before (its roles may still have changed, see rolesAdded/rolesRemoved);
 * REMOVED: in the previous scope, no longer a member.
 */
export type ScopeChange = 'NEW' | 'REMOVED' | 'UNCHANGED';

export interface EntryDiff {
  memberId: string;
  change: ScopeChange;
  rolesAdded: SnapshotRole[];
  rolesRemoved: SnapshotRole[];
  apiKeysAdded: string[];
  apiKeysRemoved: string[];
}

function minus<T extends { id: string }>(a: readonly T[], b: readonly T[]): T[] {
  const ids = new Set(b.map((x) => x.id));
  return a.filter((x) => !ids.has(x.id));
}

/** Every member of either scope, ordered by member id. */
export function diffScopes(previous: readonly SnapshotEntry[] | null, current: readonly SnapshotEntry[]): EntryDiff[] {
  const before = new Map((previous ?? []).map((e) => [e.memberId, e]));
  const now = new Set(current.map((e) => e.memberId));
  const out: EntryDiff[] = current.map((e) => {
    const was = before.get(e.memberId);
    if (!was) return { memberId: e.memberId, change: 'NEW', rolesAdded: e.roles, rolesRemoved: [], apiKeysAdded: e.apiKeys.map((k) => k.id), apiKeysRemoved: [] };
    return {
      memberId: e.memberId,
      change: 'UNCHANGED',
      rolesAdded: minus(e.roles, was.roles),
      rolesRemoved: minus(was.roles, e.roles),
      apiKeysAdded: minus(e.apiKeys, was.apiKeys).map((k) => k.id),
      apiKeysRemoved: minus(was.apiKeys, e.apiKeys).map((k) => k.id),
    };
  });
  for (const was of previous ?? []) {
    if (!now.has(was.memberId)) out.push({ memberId: was.memberId, change: 'REMOVED', rolesAdded: [], rolesRemoved: was.roles, apiKeysAdded: [], apiKeysRemoved: was.apiKeys.map((k) => k.id) });
  }
  return out.sort((a, b) => a.memberId.localeCompare(b.memberId));
}

/** Whether an UNCHANGED entry's roles differ from last time. */
export const rolesChanged = (d: EntryDiff): boolean => d.change === 'UNCHANGED' && (d.rolesAdded.length > 0 || d.rolesRemoved.length > 0);
