// CASL abilities built from the packed rules in the signed context, and their
// translation into MikroORM filters so that lists are filtered in SQL.
import { createMongoAbility, subject as asSubject, type MongoAbility, type RawRuleOf, type Subject } from '@casl/ability';
import { packRules, rulesToCondition, unpackRules, type PackRule } from '@casl/ability/extra';
import type { Action } from './registry';

export type AppAbility = MongoAbility<[Action, Subject]>;
export type RawRule = RawRuleOf<AppAbility>;
type Filter = Record<string, unknown>;

export function pack(rules: RawRule[]): unknown[] {
  return packRules(rules);
}

export function abilityFromPacked(packed: unknown[]): AppAbility {
  return createMongoAbility<AppAbility>(unpackRules(packed as PackRule<RawRule>[]));
}

export function abilityFromRules(rules: RawRule[]): AppAbility {
  return createMongoAbility<AppAbility>(rules);
}

/**
 * The SQL-side equivalent of `ability.can(action, type)` over a table: `null`
 * when no row can match, `{}` when every row can, otherwise a MikroORM filter.
 */
export function accessibleFilter(ability: AppAbility, action: Action, subjectType: string): Filter | null {
  return rulesToCondition<AppAbility, Filter, Filter>(
    ability.rulesFor(action, subjectType),
    (rule) => (rule.inverted ? { $not: rule.conditions } : (rule.conditions as Filter)),
    {
      and: (conditions) => (conditions.length === 1 ? conditions[0]! : { $and: conditions }),
      or: (conditions) => (conditions.length === 1 ? conditions[0]! : { $or: conditions }),
      empty: () => ({}),
    },
  );
}

/** Object-level check after load. */
export function can(ability: AppAbility, action: Action, subjectType: string, obj?: Record<string, unknown>): boolean {
  return obj ? ability.can(action, asSubject(subjectType, { ...obj })) : ability.can(action, subjectType);
}

/** Replaces `${user.id}` placeholders in rule conditions with the actor's values. */
export function interpolateRules(rules: RawRule[], vars: { userId: string | null }): RawRule[] {
  return JSON.parse(JSON.stringify(rules), (_key, value: unknown) => {
    if (value === '${user.id}') return vars.userId;
    return value;
  }) as RawRule[];
}
