// Builds a federation v2 subgraph schema from type-graphql classes (see STACK.md:
// type-graphql prints the SDL with @key directives, @apollo/subgraph builds it).
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import {
  defaultFieldResolver, isNonNullType, isObjectType, Kind, parse, type GraphQLField, type GraphQLNamedType, type GraphQLFieldResolver, type GraphQLSchema,
} from 'graphql';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import {
  AppAbility, canField, forbiddenWriteField, graphFieldGuard, hasFieldRules, LINK, subjectInstance, subjectOfEntity, subjectOfType,
} from '@packets/authz';
import { flushGuard, type EntityWrite } from '@packets/db';
import { appError, ErrorCode } from './errors';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external"])';

export interface SubgraphDefinition {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql takes resolver classes as plain constructors
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- same as above
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type name; each must authorise like any entry point. */
  references?: Record<string, { __resolveReference: (ref: never, ctx: never) => unknown }>;
}

export async function buildFederatedSchema(def: SubgraphDefinition): Promise<{ schema: GraphQLSchema; sdl: string }> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: def.resolvers,
    orphanedTypes: def.orphanedTypes,
    skipCheck: true,
    validate: false,
  });
  const printed = printSchemaWithDirectives(typeGraphqlSchema);
  const sdl = `${FEDERATION_LINK}\n\n${printed}\n`;
  const resolvers = createResolversMap(typeGraphqlSchema) as GraphQLResolverMap<unknown>;
  for (const [type, ref] of Object.entries(def.references ?? {})) {
    resolvers[type] = { ...(resolvers[type] as object), ...ref } as GraphQLResolverMap<unknown>[string];
  }
  const schema = buildSubgraphSchema({ typeDefs: parse(sdl), resolvers });
  enforceFieldRules(schema);
  return { schema, sdl };
}

// ---- field-level rules ------------------------------------------------------------
// One mechanism for every subgraph: buildFederatedSchema wraps the resolver of every
// field of every object type that is a registry subject (the `_entities` path of
// federation resolves the same fields, so references are covered too), and every
// root field runs with a flush guard holding the actor's rules, so every write any
// mutation makes is checked field by field before it reaches the database.

interface FieldRulesContext {
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
      const field = forbiddenWriteField(ability, w.kind, subject, w.before, w.after, w.changed);
      if (field) throw refusal(ctx, w.kind, subject, field, w.after.id);
    }
  };
}

function wrapRoot(field: GraphQLField<unknown, unknown>): void {
  const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
  const wrapped: GraphQLFieldResolver<unknown, unknown> = (source, args, ctx, info) => {
    const ability = (ctx as FieldRulesContext | undefined)?.ability;
    if (!(ability instanceof AppAbility)) return resolve(source, args, ctx, info);
    return flushGuard.run(writeGuard(ctx as FieldRulesContext, ability), () => resolve(source, args, ctx, info));
  };
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
    const subject = subjectOfType(type.name);
    if (!subject || isReferenceStub(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const guard = graphFieldGuard(subject, field.name);
      if (guard === LINK) continue;
      // a registry field or an alias is checked as that field; WHOLE and undeclared fields by their own name,
      // which no rule can list: only a read of the object without field restriction reaches them
      wrapRead(field, subject, typeof guard === 'object' ? guard.reads : field.name);
    }
  }
}
