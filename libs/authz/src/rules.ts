// Custom roles are data: validate every rule against the registry before it is
// saved, and refuse any role that grants more than its author holds.
import { ACTIONS, registeredSubjects, SQL_OPERATORS, subjectDefinition, type Action } from './registry';
import { abilityFromRules, accessibleFilter, can, type AppAbility, type RawRule, type RoleAbility } from './ability';

export class RuleError extends Error {}

const MAX_RULES = 100;
const OPERATORS = new Set<string>(SQL_OPERATORS);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isScalar(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

function strings(v: unknown, path: string): string[] {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s): s is string => typeof s === 'string')) {
    throw new RuleError(`${path} must be a string or a non-empty list of strings`);
  }
  return list;
}

function validateCondition(field: string, value: unknown, path: string): void {
  if (isScalar(value)) return;
  if (!isPlainObject(value)) throw new RuleError(`${path}.${field} must be a value or an operator object`);
  for (const [op, operand] of Object.entries(value)) {
    if (!OPERATORS.has(op)) {
      throw new RuleError(`${path}.${field}: operator ${op} is not supported (use ${SQL_OPERATORS.join(', ')})`);
    }
    const ok = op === '$in' || op === '$nin'
      ? Array.isArray(operand) && operand.length <= 100 && operand.every(isScalar)
      : op === '$exists' ? typeof operand === 'boolean' : isScalar(operand);
    if (!ok) throw new RuleError(`${path}.${field}.${op} has an invalid operand`);
  }
}

/** Checks raw rules (as sent by a client) and returns them normalised. */
export function validateRules(raw: unknown): RawRule[] {
  if (!Array.isArray(raw)) throw new RuleError('rules must be a list');
  if (raw.length > MAX_RULES) throw new RuleError(`at most ${MAX_RULES} rules`);
  return raw.map((item: unknown, i): RawRule => {
    const path = `rules[${i}]`;
    if (!isPlainObject(item)) throw new RuleError(`${path} must be an object`);
    const unknownKeys = Object.keys(item).filter((k) => !['action', 'subject', 'fields', 'conditions', 'inverted'].includes(k));
    if (unknownKeys.length) throw new RuleError(`${path} has unknown keys: ${unknownKeys.join(', ')}`);
    const actions = strings(item.action, `${path}.action`);
    for (const a of actions) if (!(ACTIONS as readonly string[]).includes(a)) throw new RuleError(`${path}.action: unknown action ${a}`);
    const subjects = strings(item.subject, `${path}.subject`);
    for (const s of subjects) if (s !== 'all' && !subjectDefinition(s)) throw new RuleError(`${path}.subject: unknown subject ${s}`);
    const known = (field: string) => subjects.every((s) => s === 'all' || subjectDefinition(s)!.fields.includes(field));
    let fields: string[] | undefined;
    if (item.fields !== undefined && item.fields !== null) {
      fields = strings(item.fields, `${path}.fields`);
      for (const f of fields) if (!known(f)) throw new RuleError(`${path}.fields: ${f} is not a field of ${subjects.join(', ')}`);
    }
    let conditions: Record<string, unknown> | undefined;
    if (item.conditions !== undefined && item.conditions !== null) {
      if (!isPlainObject(item.conditions)) throw new RuleError(`${path}.conditions must be an object`);
      if (subjects.includes('all')) throw new RuleError(`${path}.conditions cannot apply to subject all`);
      for (const [field, value] of Object.entries(item.conditions)) {
        if (field.startsWith('$')) throw new RuleError(`${path}.conditions: operator ${field} is not supported at the top level`);
        if (!known(field)) throw new RuleError(`${path}.conditions: ${field} is not a field of ${subjects.join(', ')}`);
        validateCondition(field, value, `${path}.conditions`);
      }
      conditions = item.conditions;
    }
    if (item.inverted !== undefined && item.inverted !== null && typeof item.inverted !== 'boolean') {
      throw new RuleError(`${path}.inverted must be a boolean`);
    }
    return {
      action: actions.length === 1 ? (actions[0] as Action) : (actions as Action[]),
      subject: subjects.length === 1 ? subjects[0]! : subjects,
      ...(fields ? { fields } : {}),
      ...(conditions ? { conditions } : {}),
      ...(item.inverted ? { inverted: true } : {}),
    };
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The first permission a role made of `rules` would give that `holder` does not
 * have, or null. Compared subject by subject, action by action, over everything in
 * the registry, using the role's effective permissions (so its own `cannot` rules
 * count): where the role allows unconditionally the holder must too; where the role
 * allows under conditions the holder must allow unconditionally or under the same
 * conditions; every field the role reaches the holder must reach.
 */
export function firstEscalation(holder: AppAbility | RoleAbility, rules: RawRule[]): string | null {
  const role = abilityFromRules(rules);
  for (const subject of registeredSubjects()) {
    for (const action of ACTIONS.filter((a) => a !== 'manage')) {
      const granted = accessibleFilter(role, action, subject);
      if (granted === null) continue;
      const held = accessibleFilter(holder, action, subject);
      const heldUnconditionally = held !== null && Object.keys(held).length === 0;
      if (!heldUnconditionally && (held === null || Object.keys(granted).length === 0 || !sameJson(held, granted))) {
        return `${action} ${subject}${Object.keys(granted).length ? ' under those conditions' : ''}`;
      }
      const field = (subjectDefinition(subject)?.fields ?? []).find((f) => role.can(action, subject, f) && !can(holder, action, subject, undefined, f));
      if (field) return `${action} ${subject}.${field}`;
    }
  }
  return null;
}
