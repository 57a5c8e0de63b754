// CASL abilities built from the packed rules in the signed context, and their
// translation into MikroORM filters so that lists are filtered in SQL.
import { createMongoAbility, subject as asSubject, type MongoAbility, type RawRuleOf, type Subject } from '@casl/ability';
import { packRules, rulesToCondition, unpackRules, type PackRule } from '@casl/ability/extra';
import type { Action } from './registry';

/** The ability of one rule set (one role). */
export type RoleAbility = MongoAbility<[Action, Subject]>;
export type RawRule = RawRuleOf<RoleAbility>;
type Filter = Record<string, unknown>;

/**
 * A member's permissions: the union of their roles, each role evaluated on its own.
 * (Concatenating the roles' rules into one CASL ability would let one role's
 * `cannot` cancel another role's grant: an Admin who is also Owner would lose the
 * Owner's read of the audit log.)
 */
export class AppAbility {
  constructor(readonly roles: readonly RoleAbility[]) {}
}

function abilities(a: AppAbility | RoleAbility): readonly RoleAbility[] {
  return a instanceof AppAbility ? a.roles : [a];
}

export function pack(rules: RawRule[]): unknown[] {
  return packRules(rules);
}

function isPackedRule(v: unknown): boolean {
  return Array.isArray(v) && typeof v[0] === 'string';
}

/** From the signed context: a list of packed rule sets, one per role (a single flat set is one role). */
export function abilityFromPacked(packed: unknown[]): AppAbility {
  const sets = packed.length > 0 && isPackedRule(packed[0]) ? [packed] : packed;
  return new AppAbility(sets.map((set) => createMongoAbility<RoleAbility>(unpackRules((Array.isArray(set) ? set : []) as PackRule<RawRule>[]))));
}

export function abilityFromRules(rules: RawRule[]): RoleAbility {
  return createMongoAbility<RoleAbility>(rules);
}

function roleFilter(ability: RoleAbility, action: Action, subjectType: string): Filter | null {
  return rulesToCondition<RoleAbility, Filter, Filter>(
    ability.rulesFor(action, subjectType),
    (rule) => (rule.inverted ? { $not: rule.conditions } : (rule.conditions as Filter)),
    {
      and: (conditions) => (conditions.length === 1 ? conditions[0]! : { $and: conditions }),
      or: (conditions) => (conditions.length === 1 ? conditions[0]! : { $or: conditions }),
      empty: () => ({}),
    },
  );
}

/**
 * The SQL-side equivalent of `can(action, type)` over a table: `null` when no row
 * can match, `{}` when every row can, otherwise a MikroORM filter (the roles' ORed).
 */
export function accessibleFilter(ability: AppAbility | RoleAbility, action: Action, subjectType: string): Filter | null {
  const filters = abilities(ability).map((a) => roleFilter(a, action, subjectType)).filter((f): f is Filter => f !== null);
  if (filters.length === 0) return null;
  if (filters.some((f) => Object.keys(f).length === 0)) return {};
  return filters.length === 1 ? filters[0]! : { $or: filters };
}

/** Object-level check after load (or type-level without an object); `field` narrows to one field. */
export function can(
  ability: AppAbility | RoleAbility, action: Action, subjectType: string, obj?: Record<string, unknown>, field?: string,
): boolean {
  return abilities(ability).some((a) => (obj ? a.can(action, asSubject(subjectType, { ...obj }), field) : a.can(action, subjectType, field)));
}

/** Replaces `${user.id}` placeholders in rule conditions with the actor's values. */
export function interpolateRules(rules: RawRule[], vars: { userId: string | null }): RawRule[] {
  return JSON.parse(JSON.stringify(rules), (_key, value: unknown) => {
    if (value === '${user.id}') return vars.userId;
    return value;
  }) as RawRule[];
}
