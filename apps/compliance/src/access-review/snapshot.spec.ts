import { describe, expect, it } from 'vitest';
import { diffScopes, rolesChanged, takeSnapshot } from './snapshot';
import { ADMIN, AUDITOR, MEMBER, OWNER, daysBefore, key, person, takenAt } from './access-review.fixtures';

const bare = ({ apiKeys: _k, ...rest }: ReturnType<typeof person>) => rest;

describe('takeSnapshot', () => {
  it('gives each member the live keys they created, orders entries, roles and keys, and lists orphaned keys', () => {
    const s = takeSnapshot(
      [bare(person('bob', { roles: [MEMBER, ADMIN] })), bare(person('ann', { roles: [OWNER] }))],
      [
        key('k2', 'bob'),
        key('k1', 'bob'),
        key('k3', 'ann', { revokedAt: daysBefore(1) }),
        key('k4', 'ann', { revokedAt: new Date(takenAt.getTime() + 1) }),
        key('k5', 'gone-user'),
      ],
      takenAt,
    );
    expect(s.takenAt).toBe(takenAt);
    expect(s.entries.map((e) => e.memberId)).toEqual(['ann', 'bob']);
    expect(s.entries[1]?.roles.map((r) => r.id)).toEqual(['role-admin', 'role-member']);
    expect(s.entries[1]?.apiKeys.map((k) => k.id)).toEqual(['k1', 'k2']);
    expect(s.entries[0]?.apiKeys.map((k) => k.id)).toEqual(['k4']);
    expect(s.entries[0]?.apiKeys[0]).not.toHaveProperty('createdBy');
    expect(s.orphanedApiKeys.map((k) => k.id)).toEqual(['k5']);
  });
});

describe('diffScopes', () => {
  const previous = [person('ann', { roles: [OWNER] }), person('bob', { roles: [MEMBER], apiKeys: [{ ...key('k1', 'bob') }] }), person('cat')];
  const current = [person('ann', { roles: [OWNER] }), person('bob', { roles: [ADMIN, AUDITOR] }), person('dan')];

  it('marks NEW, REMOVED and UNCHANGED, with the role and key changes', () => {
    const d = diffScopes(previous, current);
    expect(d.map((x) => `${x.memberId}:${x.change}`)).toEqual(['ann:UNCHANGED', 'bob:UNCHANGED', 'cat:REMOVED', 'dan:NEW']);
    const bob = d.find((x) => x.memberId === 'bob');
    expect(bob).toEqual({ memberId: 'bob', change: 'UNCHANGED', rolesAdded: [ADMIN, AUDITOR], rolesRemoved: [MEMBER], apiKeysAdded: [], apiKeysRemoved: ['k1'] });
    expect(d.map(rolesChanged)).toEqual([false, true, false, false]);
    expect(d.find((x) => x.memberId === 'cat')).toMatchObject({ rolesRemoved: [MEMBER] });
  });

  it('calls everyone NEW in an org\'s first campaign', () => {
    expect(diffScopes(null, current).map((x) => x.change)).toEqual(['NEW', 'NEW', 'NEW']);
  });
});
