// CASL abilities built from the packed rules in the signed context, and their
// translation into MikroORM filters so that lists are filtered in SQL.
import { createMongoAbility, detectSubjectType, subject as asSubject, type MongoAbility, type RawRuleOf, type Subject } from '@casl/ability';
import { packRules, permittedFieldsOf, rulesToCondition, unpackRules, type PackRule } from '@casl/ability/extra';
import { subjectDefinition, type Action } from './registry';

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

function roleFilter(ability: RoleAbility, action: Action, subjectType: string, field?: string): Filter | null {
  return rulesToCondition<RoleAbility, Filter, Filter>(
    ability.rulesFor(action, subjectType, field),
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

/**
 * Rows on which the actor may `action` every one of `fields` (for reads: the rows
 * whose values of those fields they may see), as a MikroORM filter; `null` when no
 * row qualifies. A list filtered or ordered by a field adds this, so a field the
 * role cannot read does not become an oracle (`controls(filter: {ownerId})` telling
 * which controls someone owns to a role that may not read ownerId).
 */
export function fieldsFilter(ability: AppAbility | RoleAbility, action: Action, subjectType: string, fields: readonly string[]): Filter | null {
  const parts: Filter[] = [];
  for (const field of new Set(fields)) {
    const filters = abilities(ability).map((a) => roleFilter(a, action, subjectType, field)).filter((f): f is Filter => f !== null);
    if (filters.length === 0) return null;
    if (filters.some((f) => Object.keys(f).length === 0)) continue;
    parts.push(filters.length === 1 ? filters[0]! : { $or: filters });
  }
  if (parts.length === 0) return {};
  return parts.length === 1 ? parts[0]! : { $and: parts };
}

/** Object-level check after load (or type-level without an object); `field` narrows to one field. */
export function can(
  ability: AppAbility | RoleAbility, action: Action, subjectType: string, obj?: Record<string, unknown>, field?: string,
): boolean {
  return abilities(ability).some((a) => (obj ? a.can(action, asSubject(subjectType, { ...obj }), field) : a.can(action, subjectType, field)));
}

const USER_PLACEHOLDER = '${user.id}';

function mentions(value: unknown, needle: string): boolean {
  if (value === needle) return true;
  if (Array.isArray(value)) return value.some((v) => mentions(v, needle));
  if (typeof value === 'object' && value !== null) return Object.values(value).some((v) => mentions(v, needle));
  return false;
}

/**
 * Replaces `${user.id}` placeholders in rule conditions with the actor's values.
 * An actor without a user (an API key) has no "me": a grant whose conditions name
 * the user is dropped (it would otherwise become `ownerId: null` and match every
 * unowned row), and a `cannot` whose conditions name the user loses its conditions
 * (it applies to every row: refusing too much is the safe side).
 */
export function interpolateRules(rules: RawRule[], vars: { userId: string | null }): RawRule[] {
  const { userId } = vars;
  if (userId === null) {
    return rules.flatMap((rule): RawRule[] => {
      if (!mentions(rule.conditions, USER_PLACEHOLDER)) return [rule];
      if (!rule.inverted) return [];
      const unconditional = { ...rule };
      delete unconditional.conditions;
      return [unconditional];
    });
  }
  return JSON.parse(JSON.stringify(rules), (_key, value: unknown) => (value === USER_PLACEHOLDER ? userId : value)) as RawRule[];
}

// ---- field-level rules -------------------------------------------------------
// Enforced in one place each: reads in libs/graphql (every field of every subject
// type), writes at flush time in libs/db (every changed property of every subject
// entity). These helpers are the CASL side of both.

const restrictedCache = new WeakMap<object, Map<string, boolean>>();

/**
 * Whether any of the roles has a rule naming fields for `action` on the subject
 * (a `can` limited to some fields, or a `cannot` of some fields). When none does,
 * every field is allowed exactly where the object is, which the services check:
 * the per-field work is skipped (the common case, and the hot path of lists).
 */
export function hasFieldRules(ability: AppAbility | RoleAbility, action: Action, subjectType: string): boolean {
  let bySubject = restrictedCache.get(ability);
  if (!bySubject) {
    bySubject = new Map();
    restrictedCache.set(ability, bySubject);
  }
  const key = `${action} ${subjectType}`;
  let restricted = bySubject.get(key);
  if (restricted === undefined) {
    restricted = abilities(ability).some((a) => a.possibleRulesFor(action, subjectType).some((r) => r.fields !== undefined));
    bySubject.set(key, restricted);
  }
  return restricted;
}

/** Whether any role holds any rule (grant or refusal) for `action` on the subject. */
export function hasRulesFor(ability: AppAbility | RoleAbility, action: Action, subjectType: string): boolean {
  return abilities(ability).some((a) => a.possibleRulesFor(action, subjectType).length > 0);
}

/** `obj` tagged as an instance of the subject type, for repeated field checks on the same object. */
export function subjectInstance(subjectType: string, obj: Record<string, unknown>): Record<string, unknown> {
  return asSubject(subjectType, { ...obj });
}

const fieldDecisions = new WeakMap<object, Map<string, boolean | null>>();

/**
 * The answer to `action` on `field` of the subject when it does not depend on the
 * object (no rule reaching the field has conditions), else null. Cached per ability,
 * which lives for one request: a list of 50 rows asks once per field, not 50 times.
 */
function fieldDecision(ability: AppAbility | RoleAbility, action: Action, subjectType: string, field: string): boolean | null {
  let byKey = fieldDecisions.get(ability);
  if (!byKey) {
    byKey = new Map();
    fieldDecisions.set(ability, byKey);
  }
  const key = `${action} ${subjectType} ${field}`;
  let decision = byKey.get(key);
  if (decision === undefined) {
    let dependsOnObject = false;
    decision = false;
    for (const a of abilities(ability)) {
      const rules = a.rulesFor(action, subjectType, field);
      if (rules.some((r) => r.conditions !== undefined)) dependsOnObject = true;
      // without conditions the first rule decides, as in CASL's can()
      else if (rules[0] && !rules[0].inverted) decision = true;
    }
    if (dependsOnObject && !decision) decision = null;
    byKey.set(key, decision);
  }
  return decision;
}

/** Field-level check on an object made by subjectInstance (the union of the roles). */
export function canField(ability: AppAbility | RoleAbility, action: Action, instance: Record<string, unknown>, field: string): boolean {
  const type = detectSubjectType(instance);
  const decision = fieldDecision(ability, action, type, field);
  if (decision !== null) return decision;
  return abilities(ability).some((a) => a.can(action, instance as Subject, field));
}

/**
 * CASL's permittedFieldsOf over the union of the roles: the registry fields `action`
 * may touch on this object (a rule without `fields` reaches every registry field).
 */
export function permittedFields(
  ability: AppAbility | RoleAbility, action: Action, subjectType: string, obj: Record<string, unknown>,
): Set<string> {
  const all = subjectDefinition(subjectType)?.fields ?? [];
  const instance = subjectInstance(subjectType, obj);
  const out = new Set<string>();
  for (const a of abilities(ability)) {
    for (const f of permittedFieldsOf(a, action, instance as Subject, { fieldsFrom: (rule) => rule.fields ?? [...all] })) out.add(f);
  }
  return out;
}

/**
 * The first changed registry field of a write the actor may not make, or null.
 * `changed` are property names; those that are not registry fields of the subject
 * are set by the service (timestamps, org id, derived values) and not the actor's
 * to choose. An actor with no rule at all for the action on the subject did not
 * make this write (a sign-in writing its session, say): the service decided it.
 * An update must be allowed on the row as it was and as it becomes.
 */
export function forbiddenWriteField(
  ability: AppAbility | RoleAbility, action: 'create' | 'update', subjectType: string,
  before: Record<string, unknown> | null, after: Record<string, unknown>, changed: readonly string[],
): string | null {
  const registered = subjectDefinition(subjectType)?.fields ?? [];
  const touched = changed.filter((f) => registered.includes(f) && !(action === 'create' && (f === 'id' || after[f] === null || after[f] === undefined)));
  if (touched.length === 0 || !hasRulesFor(ability, action, subjectType)) return null;
  const allowedAfter = permittedFields(ability, action, subjectType, after);
  const allowedBefore = before ? permittedFields(ability, action, subjectType, before) : allowedAfter;
  return touched.find((f) => !allowedAfter.has(f) || !allowedBefore.has(f)) ?? null;
}
