import { describe, expect, it } from 'vitest';
import { abilityFromRules, type RawRule } from './ability';
import { firstEscalation, RuleError, validateRules } from './rules';
import { SYSTEM_ROLES } from './system-roles';
import './subjects';

describe('validateRules', () => {
  it('accepts and normalises well-formed rules', () => {
    expect(validateRules([
      { action: ['read'], subject: 'Control', conditions: { ownerId: '${user.id}' } },
      { action: 'update', subject: ['Control'], fields: ['status'], conditions: { status: { $in: ['IN_PROGRESS'] } }, inverted: false },
    ])).toEqual([
      { action: 'read', subject: 'Control', conditions: { ownerId: '${user.id}' } },
      { action: 'update', subject: 'Control', fields: ['status'], conditions: { status: { $in: ['IN_PROGRESS'] } } },
    ]);
  });

  it.each([
    [[{ action: 'fly', subject: 'Control' }], 'rules[0].action: unknown action fly'],
    [[{ action: 'read', subject: 'Spaceship' }], 'rules[0].subject: unknown subject Spaceship'],
    [[{ action: 'read', subject: 'Control', fields: ['salary'] }], 'rules[0].fields: salary is not a field of Control'],
    [[{ action: 'read', subject: 'Control', conditions: { title: { $regex: '.*' } } }], 'operator $regex is not supported'],
    [[{ action: 'read', subject: 'Control', conditions: { $where: 'x' } }], 'operator $where is not supported at the top level'],
    [[{ action: 'read', subject: 'Control', conditions: 'ownerId = 1' }], 'rules[0].conditions must be an object'],
    [[{ action: 'read', subject: 'Control', conditions: { secret: 1 } }], 'secret is not a field of Control'],
    [[{ action: 'read', subject: 'all', conditions: { id: 1 } }], 'cannot apply to subject all'],
    [[{ action: 'read', subject: 'Control', extra: true }], 'unknown keys: extra'],
    [{ action: 'read' }, 'rules must be a list'],
  ])('refuses %j', (rules, message) => {
    expect(() => validateRules(rules)).toThrowError(RuleError);
    expect(() => validateRules(rules)).toThrowError(message);
  });
});

describe('firstEscalation', () => {
  const admin = abilityFromRules(SYSTEM_ROLES.Admin.rules);
  const owner = abilityFromRules(SYSTEM_ROLES.Owner.rules);
  const member = abilityFromRules(SYSTEM_ROLES.Member.rules);

  it('lets an Admin grant what an Admin holds', () => {
    expect(firstEscalation(admin, [{ action: 'create', subject: 'Control' }, { action: 'read', subject: 'Control' }])).toBeNull();
  });

  it('refuses manage all to an Admin (it includes the audit log)', () => {
    expect(firstEscalation(admin, [{ action: 'manage', subject: 'all' }])).toBe('create AuditEvent');
  });

  it('refuses the Owner role to an Admin and accepts it from an Owner', () => {
    expect(firstEscalation(admin, SYSTEM_ROLES.Owner.rules)).not.toBeNull();
    expect(firstEscalation(owner, SYSTEM_ROLES.Owner.rules)).toBeNull();
  });

  it('lets a conditional holder grant only the same conditions', () => {
    const own: RawRule = { action: 'update', subject: 'Control', conditions: { ownerId: 'u1' } };
    const withOwn = abilityFromRules([...SYSTEM_ROLES.Member.rules.filter((r) => r.action !== 'update'), own]);
    expect(firstEscalation(withOwn, [own])).toBeNull();
    expect(firstEscalation(member, [{ action: 'update', subject: 'Control' }])).toBe('update Control');
  });

  it('never counts inverted rules as grants', () => {
    expect(firstEscalation(member, [{ action: 'manage', subject: 'all', inverted: true }])).toBeNull();
  });
});
