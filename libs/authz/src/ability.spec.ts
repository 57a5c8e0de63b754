import { describe, expect, it } from 'vitest';
import { abilityFromPacked, abilityFromRules, accessibleFilter, can, interpolateRules, pack, type RawRule } from './ability';

describe('accessibleFilter: CASL rules as a MikroORM filter', () => {
  it('is null when nothing is allowed', () => {
    expect(accessibleFilter(abilityFromRules([]), 'read', 'Control')).toBeNull();
    expect(accessibleFilter(abilityFromRules([{ action: 'read', subject: 'Policy' }]), 'read', 'Control')).toBeNull();
  });

  it('is {} for an unconditional rule, including manage all', () => {
    expect(accessibleFilter(abilityFromRules([{ action: 'read', subject: 'Control' }]), 'read', 'Control')).toEqual({});
    expect(accessibleFilter(abilityFromRules([{ action: 'manage', subject: 'all' }]), 'read', 'Control')).toEqual({});
  });

  it('keeps a condition, and ORs several', () => {
    expect(accessibleFilter(abilityFromRules([{ action: 'read', subject: 'Control', conditions: { ownerId: 'u1' } }]), 'read', 'Control'))
      .toEqual({ ownerId: 'u1' });
    const two = abilityFromRules([
      { action: 'read', subject: 'Control', conditions: { ownerId: 'u1' } },
      { action: 'read', subject: 'Control', conditions: { status: { $in: ['IMPLEMENTED'] } } },
    ]);
    expect(accessibleFilter(two, 'read', 'Control')).toEqual({ $or: [{ status: { $in: ['IMPLEMENTED'] } }, { ownerId: 'u1' }] });
  });

  it('bounds allowed rows by a later conditional cannot', () => {
    const ability = abilityFromRules([
      { action: 'read', subject: 'Control' },
      { action: 'read', subject: 'Control', conditions: { status: 'NOT_APPLICABLE' }, inverted: true },
    ]);
    expect(accessibleFilter(ability, 'read', 'Control')).toEqual({ $not: { status: 'NOT_APPLICABLE' } });
  });

  it('is null after an unconditional cannot', () => {
    const ability = abilityFromRules([
      { action: 'manage', subject: 'all' },
      { action: 'read', subject: 'AuditEvent', inverted: true },
    ]);
    expect(accessibleFilter(ability, 'read', 'AuditEvent')).toBeNull();
  });
});

describe('rules in the signed context', () => {
  it('survive packing and unpacking', () => {
    const rules: RawRule[] = [
      { action: 'read', subject: ['Control', 'Policy'] },
      { action: 'update', subject: 'Control', conditions: { ownerId: 'u1' } },
      { action: 'delete', subject: 'Control', inverted: true },
    ];
    const ability = abilityFromPacked(JSON.parse(JSON.stringify(pack(rules))) as unknown[]);
    expect(can(ability, 'read', 'Policy')).toBe(true);
    expect(can(ability, 'update', 'Control', { ownerId: 'u1' })).toBe(true);
    expect(can(ability, 'update', 'Control', { ownerId: 'u2' })).toBe(false);
    expect(can(ability, 'delete', 'Control')).toBe(false);
  });

  it('fills ${user.id} placeholders with the actor', () => {
    const rules = interpolateRules([{ action: 'update', subject: 'Control', conditions: { ownerId: '${user.id}' } }], { userId: 'u9' });
    expect(rules[0]!.conditions).toEqual({ ownerId: 'u9' });
  });
});

describe('a member with several roles', () => {
  it('holds the union of the roles, each evaluated on its own', () => {
    const owner = pack([{ action: 'manage', subject: 'all' }, { action: ['create', 'update', 'delete'], subject: 'AuditEvent', inverted: true }]);
    const admin = pack([{ action: 'manage', subject: 'all' }, { action: 'manage', subject: 'AuditEvent', inverted: true }]);
    const both = abilityFromPacked(JSON.parse(JSON.stringify([owner, admin])) as unknown[]);
    // merged into one rule list, the Admin's cannot would cancel the Owner's read
    expect(can(both, 'read', 'AuditEvent')).toBe(true);
    expect(accessibleFilter(both, 'read', 'AuditEvent')).toEqual({});
    expect(can(both, 'update', 'AuditEvent')).toBe(false);
  });

  it('ORs the roles in SQL', () => {
    const a = pack([{ action: 'read', subject: 'Control', conditions: { ownerId: 'u1' } }]);
    const b = pack([{ action: 'read', subject: 'Control', conditions: { status: 'IMPLEMENTED' } }]);
    expect(accessibleFilter(abilityFromPacked([a, b]), 'read', 'Control')).toEqual({ $or: [{ ownerId: 'u1' }, { status: 'IMPLEMENTED' }] });
    expect(accessibleFilter(abilityFromPacked([]), 'read', 'Control')).toBeNull();
  });
});
