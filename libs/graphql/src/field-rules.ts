// Field-level rules, one mechanism for every subgraph.
// Reads: buildFederatedSchema calls enforceFieldRules, which wraps the resolver of
// every field of every object type that is a registry subject (federation's
// `_entities` resolves the same fields, so references are covered too).
// Writes: every tenant transaction of a request (RequestContext.tx and .mutate, for
// GraphQL and for the HTTP routes alike) and every root field run under a MikroORM
// flush guard holding the actor's rules, so each changed field of each subject
// entity is checked before anything reaches the database.
import {
  defaultFieldResolver, isNonNullType, isObjectType, Kind, type GraphQLField, type GraphQLFieldResolver, type GraphQLNamedType, type GraphQLSchema,
} from 'graphql';
import {
  AppAbility, canField, forbiddenWriteField, graphFieldGuard, hasFieldRules, LINK, registryFieldOfProperty, subjectInstance, subjectOfEntity, subjectOfType,
  viewOfType,
} from '@packets/authz';
import { flushGuard, type EntityWrite } from '@packets/db';
import { appError, ErrorCode } from '@packets/http';

export interface FieldRulesContext {
  ability?: unknown;
  recordDenied?: (err: GraphQLError, entry: { action: string; subjectType?: string; subjectId?: string; data?: Record<string, unknown> }) => GraphQLError;
}
type GraphQLError = ReturnType<typeof appError>;

/** Marks resolvers wrapped here (the coverage test reads it). */
export const FIELD_RULES = Symbol.for('packets.fieldRules');
export type FieldRulesMark = { subject: string; field: string } | 'root';

const instances = new WeakMap<object, Record<string, unknown>>();
const deniedFields = new WeakMap<object, Set<string>>();

function instanceOf(subject: string, source: Record<string, unknown>): Record<string, unknown> {
  let instance = instances.get(source);
  if (!instance) {
    instance = subjectInstance(subject, source);
    instances.set(source, instance);
  }
  return instance;
}

/**
 * FORBIDDEN naming the field, recorded as `access.denied` once per request and field
 * (RequestContext.recordDenied records each error once, so a refused write inside
 * ctx.mutate is not recorded again there).
 */
function refusal(
  ctx: FieldRulesContext, action: 'read' | 'create' | 'update', subject: string, field: string, subjectId?: unknown,
): GraphQLError {
  const err = appError(ErrorCode.FORBIDDEN, `You are not allowed to ${action} ${field} of ${subject}`, { field, subject });
  const seen = deniedFields.get(ctx) ?? new Set<string>();
  deniedFields.set(ctx, seen);
  const key = `${action} ${subject}.${field}`;
  if (seen.has(key)) return err;
  seen.add(key);
  ctx.recordDenied?.(err, {
    action: 'access.denied', subjectType: subject, subjectId: typeof subjectId === 'string' ? subjectId : undefined,
    data: { attempted: action, field },
  });
  return err;
}

function wrapRead(field: GraphQLField<unknown, unknown>, subject: string, checked: string): void {
  const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
  const nonNull = isNonNullType(field.type);
  const wrapped: GraphQLFieldResolver<unknown, unknown> = (source, args, ctx, info) => {
    const ability = (ctx as FieldRulesContext | undefined)?.ability;
    if (ability instanceof AppAbility && hasFieldRules(ability, 'read', subject) && typeof source === 'object' && source !== null
      && !canField(ability, 'read', instanceOf(subject, source as Record<string, unknown>), checked)) {
      if (nonNull) throw refusal(ctx as FieldRulesContext, 'read', subject, field.name, (source as { id?: unknown }).id);
      return null;
    }
    return resolve(source, args, ctx, info);
  };
  Object.defineProperty(wrapped, FIELD_RULES, { value: { subject, field: field.name } satisfies FieldRulesMark });
  field.resolve = wrapped;
}

/** The flush guard of one request: each changed registry field of each subject entity must be permitted. */
function writeGuard(ctx: FieldRulesContext, ability: AppAbility): (writes: EntityWrite[]) => void {
  return (writes) => {
    for (const w of writes) {
      const subject = subjectOfEntity(w.entity);
      if (!subject) continue;
      // properties that store a registry field under another name are checked as that field
      const named = (row: Record<string, unknown>) => {
        const out = { ...row };
        for (const p of Object.keys(row)) { const f = registryFieldOfProperty(subject, p); if (f !== p) out[f] ??= row[p]; }
        return out;
      };
      const changed = [...new Set(w.changed.map((p) => registryFieldOfProperty(subject, p)))];
      const field = forbiddenWriteField(ability, w.kind, subject, w.before && named(w.before), named(w.after), changed);
      if (field) throw refusal(ctx, w.kind, subject, field, w.after.id);
    }
  };
}

/**
 * A write the flush guard cannot see (join rows, native statements: a member's roles,
 * a control's requirement mappings) is a write of `field` of the subject row it
 * belongs to: FORBIDDEN naming the field (audited once, as the flush guard's refusals)
 * unless the actor's rules let them write it on that row.
 */
export function assertFieldWrite(
  ctx: FieldRulesContext, action: 'create' | 'update', subject: string, row: Record<string, unknown>, field: string,
): void {
  const ability = ctx.ability;
  if (!(ability instanceof AppAbility)) return;
  const after = { ...row, [field]: row[field] ?? true };
  const denied = forbiddenWriteField(ability, action, subject, action === 'update' ? after : null, after, [field]);
  if (denied) throw refusal(ctx, action, subject, denied, row.id);
}

/** Runs `fn` with the flush guard of the request context's actor (no guard for a context without an ability). */
export function withWriteRules<T>(ctx: FieldRulesContext, fn: () => T): T {
  const ability = ctx.ability;
  if (!(ability instanceof AppAbility)) return fn();
  return flushGuard.run(writeGuard(ctx, ability), fn);
}

function wrapRoot(field: GraphQLField<unknown, unknown>): void {
  const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
  const wrapped: GraphQLFieldResolver<unknown, unknown> = (source, args, ctx, info) =>
    withWriteRules((ctx ?? {}) as FieldRulesContext, () => resolve(source, args, ctx, info));
  Object.defineProperty(wrapped, FIELD_RULES, { value: 'root' satisfies FieldRulesMark });
  field.resolve = wrapped;
}

/** A reference stub (`@key(..., resolvable: false)`): its fields are another subgraph's, and its key is the referring field's value. */
export function isReferenceStub(type: GraphQLNamedType): boolean {
  return (type.astNode?.directives ?? []).some((d) => d.name.value === 'key'
    && (d.arguments ?? []).some((a) => a.name.value === 'resolvable' && a.value.kind === Kind.BOOLEAN && !a.value.value));
}

export function enforceFieldRules(schema: GraphQLSchema): void {
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    if (root) for (const field of Object.values(root.getFields())) wrapRoot(field);
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    // a view type (Coverage) shows a subject's fields: guarded as that subject's
    const view = viewOfType(type.name);
    const subject = subjectOfType(type.name) ?? view?.subject;
    if (!subject || isReferenceStub(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const guard = view ? view.fields[field.name] : graphFieldGuard(subject, field.name);
      if (guard === LINK) continue;
      // a registry field or an alias is checked as that field; WHOLE and undeclared fields by their own name,
      // which no rule can list: only a read of the object without field restriction reaches them
      wrapRead(field, subject, typeof guard === 'object' ? guard.reads : field.name);
    }
  }
}
