// Builds a federation v2 subgraph schema from type-graphql classes (see STACK.md:
// type-graphql prints the SDL with @key directives, @apollo/subgraph builds it).
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import { enforceFieldRules } from './field-rules';

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
