import { describe, expect, it } from 'vitest';
import {
  abilityFromPacked, abilityFromRules, accessibleFilter, can, canField, forbiddenWriteField, hasFieldRules, interpolateRules, pack,
  permittedFields, subjectInstance, type RawRule,
} from './ability';
import './subjects';

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

  it('drops grants naming ${user.id} for an actor without a user (an API key): they never match, not even unowned rows', () => {
    const rules = interpolateRules([
      { action: 'read', subject: 'Control' },
      { action: 'update', subject: 'Control', conditions: { ownerId: '${user.id}' } },
      { action: 'create', subject: 'PolicyAcknowledgement', conditions: { userId: { $in: ['${user.id}'] } } },
    ], { userId: null });
    expect(rules).toEqual([{ action: 'read', subject: 'Control' }]);
    const ability = abilityFromPacked(pack(rules));
    expect(can(ability, 'update', 'Control', { ownerId: null })).toBe(false);
    expect(accessibleFilter(ability, 'update', 'Control')).toBeNull();
  });

  it('keeps a cannot naming ${user.id} for an actor without a user, on every row', () => {
    const rules = interpolateRules([
      { action: 'update', subject: 'Control' },
      { action: 'update', subject: 'Control', conditions: { ownerId: { $ne: '${user.id}' } }, inverted: true },
    ], { userId: null });
    expect(rules).toEqual([{ action: 'update', subject: 'Control' }, { action: 'update', subject: 'Control', inverted: true }]);
    expect(can(abilityFromPacked(pack(rules)), 'update', 'Control', { ownerId: 'u1' })).toBe(false);
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

describe('field-level rules', () => {
  const control = { id: 'c1', title: 'T', status: 'NOT_STARTED', ownerId: 'u1', implementationNotes: 'secret', description: null };

  it('limit reads to the listed fields, over the union of the roles', () => {
    const narrow = abilityFromPacked([pack([{ action: 'read', subject: 'Control', fields: ['id', 'title', 'status'] }])]);
    const c = subjectInstance('Control', control);
    expect(hasFieldRules(narrow, 'read', 'Control')).toBe(true);
    expect(canField(narrow, 'read', c, 'title')).toBe(true);
    expect(canField(narrow, 'read', c, 'implementationNotes')).toBe(false);
    // a field no rule can name (createdAt) needs a read without field restriction
    expect(canField(narrow, 'read', c, 'createdAt')).toBe(false);
    const withOwn = abilityFromPacked([
      pack([{ action: 'read', subject: 'Control', fields: ['id', 'title', 'status'] }]),
      pack([{ action: 'read', subject: 'Control', conditions: { ownerId: 'u1' } }]),
    ]);
    expect(canField(withOwn, 'read', c, 'implementationNotes')).toBe(true);
    expect(canField(withOwn, 'read', subjectInstance('Control', { ...control, ownerId: 'u2' }), 'implementationNotes')).toBe(false);
  });

  it('honour a cannot of one field after a read of all, and a later grant over an earlier cannot', () => {
    const c = subjectInstance('Control', control);
    const hidden = abilityFromPacked([pack([
      { action: 'read', subject: 'Control' }, { action: 'read', subject: 'Control', fields: ['implementationNotes'], inverted: true },
    ])]);
    expect(canField(hidden, 'read', c, 'implementationNotes')).toBe(false);
    expect(canField(hidden, 'read', c, 'title')).toBe(true);
    const regranted = abilityFromPacked([pack([
      { action: 'read', subject: 'Control', fields: ['implementationNotes'], inverted: true }, { action: 'read', subject: 'Control' },
    ])]);
    expect(canField(regranted, 'read', c, 'implementationNotes')).toBe(true);
  });

  it('are skipped when no rule names fields', () => {
    expect(hasFieldRules(abilityFromPacked([pack([{ action: 'manage', subject: 'all' }])]), 'read', 'Control')).toBe(false);
    expect(hasFieldRules(abilityFromPacked([pack([
      { action: 'read', subject: 'Control' }, { action: 'read', subject: 'Control', fields: ['implementationNotes'], inverted: true },
    ])]), 'read', 'Control')).toBe(true);
  });

  it('refuse a changed field outside permittedFieldsOf', () => {
    const statusOnly = abilityFromPacked([pack([{ action: 'update', subject: 'Control', fields: ['status'] }])]);
    expect([...permittedFields(statusOnly, 'update', 'Control', control)]).toEqual(['status']);
    expect(forbiddenWriteField(statusOnly, 'update', 'Control', control, { ...control, status: 'IMPLEMENTED' }, ['status', 'updatedAt'])).toBeNull();
    expect(forbiddenWriteField(statusOnly, 'update', 'Control', control, { ...control, title: 'X' }, ['title', 'updatedAt'])).toBe('title');
    const all = abilityFromPacked([pack([{ action: 'manage', subject: 'all' }])]);
    expect(forbiddenWriteField(all, 'update', 'Control', control, { ...control, title: 'X' }, ['title'])).toBeNull();
  });

  it('check an update on the row as it was and as it becomes', () => {
    const own = abilityFromPacked([pack([{ action: 'update', subject: 'Control', fields: ['status', 'ownerId'], conditions: { ownerId: 'u1' } }])]);
    expect(forbiddenWriteField(own, 'update', 'Control', control, { ...control, status: 'IMPLEMENTED' }, ['status'])).toBeNull();
    expect(forbiddenWriteField(own, 'update', 'Control', control, { ...control, ownerId: 'u2' }, ['ownerId'])).toBe('ownerId');
    expect(forbiddenWriteField(own, 'update', 'Control', { ...control, ownerId: 'u2' }, { ...control, ownerId: 'u2', status: 'IMPLEMENTED' }, ['status']))
      .toBe('status');
  });

  it('check what a create sets, not the id it is given', () => {
    const titleOnly = abilityFromPacked([pack([{ action: 'create', subject: 'Control', fields: ['title'] }])]);
    expect(forbiddenWriteField(titleOnly, 'create', 'Control', null, { id: 'c2', title: 'T', implementationNotes: null }, ['id', 'title', 'implementationNotes']))
      .toBeNull();
    expect(forbiddenWriteField(titleOnly, 'create', 'Control', null, { id: 'c2', title: 'T', implementationNotes: 'n' }, ['id', 'title', 'implementationNotes']))
      .toBe('implementationNotes');
  });

  it('leave writes the actor holds no rule for to the service (a sign-in writing its session)', () => {
    const member = abilityFromPacked([pack([{ action: 'read', subject: 'Control' }])]);
    expect(forbiddenWriteField(member, 'create', 'Session', null, { id: 's1', userId: 'u1', ip: '::1' }, ['id', 'userId', 'ip'])).toBeNull();
  });
});
