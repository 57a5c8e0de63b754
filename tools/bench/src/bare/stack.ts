// The bare federation stack, the baseline Packets is measured against (issue 15):
// stock @apollo/gateway over two stock @apollo/subgraph servers (Apollo Server 5
// standalone), reading the Packets bench's own rows with `pg` — no session, no signed
// context, no CASL, no RLS (the pool connects as the superuser), no access audit.
// Same schema shape as Packets for the benchmarked query, so both get the same text.
import { Agent } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import DataLoader from 'dataloader';
import nodeFetch from 'node-fetch';
import { parse } from 'graphql';
import { Pool } from 'pg';

const CONTROLS_SDL = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { controls(first: Int, after: String): ControlConnection! }
  type ControlConnection { edges: [ControlEdge!]! pageInfo: PageInfo! }
  type ControlEdge { cursor: String! node: Control! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  enum ControlStatus { NOT_STARTED IN_PROGRESS IMPLEMENTED NOT_APPLICABLE }
  type Control @key(fields: "id") { id: ID! title: String! status: ControlStatus! owner: User }
  type User @key(fields: "id", resolvable: false) { id: ID! }
`);

const USERS_SDL = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { user(id: ID!): User }
  type User @key(fields: "id") { id: ID! name: String! email: String! }
`);

interface ControlRow { id: string; title: string; status: string; owner_id: string | null; created_at: Date }
interface UserRow { id: string; name: string; email: string }

/** SQL statements sent by the bare stack's pools (the benchmark reads it, as it reads libs/db's sqlStatements for Packets). */
export const bareStatements = { count: 0 };

function countedPool(databaseUrl: string): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max: 10, application_name: 'bare-bench' });
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  pool.query = ((...args: unknown[]) => {
    bareStatements.count += 1;
    return query(...args);
  }) as typeof pool.query;
  return pool;
}

const cursorOf = (row: ControlRow) => Buffer.from(`${row.created_at.toISOString()}|${row.id}`).toString('base64url');

function controlsResolvers(pool: Pool, orgId: string) {
  return {
    Query: {
      controls: async (_: unknown, args: { first?: number | null; after?: string | null }) => {
        const first = Math.min(Math.max(args.first ?? 20, 1), 100);
        const [at, id] = args.after ? Buffer.from(args.after, 'base64url').toString().split('|') : [null, null];
        // the index Packets reads through too: (org_id, created_at desc, id desc)
        const { rows } = await pool.query<ControlRow>(
          `select id, title, status, owner_id, created_at from compliance.controls
           where org_id = $1 and ($2::timestamptz is null or (created_at, id) < ($2::timestamptz, $3::uuid))
           order by created_at desc, id desc limit $4`, [orgId, at, id, first + 1]);
        const page = rows.slice(0, first);
        return {
          edges: page.map((row) => ({ cursor: cursorOf(row), node: row })),
          pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? cursorOf(page[page.length - 1]!) : null },
        };
      },
    },
    Control: {
      owner: (row: ControlRow) => (row.owner_id ? { __typename: 'User', id: row.owner_id } : null),
    },
  };
}

interface UsersContext { users: DataLoader<string, UserRow | null> }

// the subgraph's resolver map types its context as unknown; ours is always a UsersContext
const usersOf = (ctx: unknown) => (ctx as UsersContext).users;

function usersResolvers() {
  return {
    Query: { user: (_: unknown, args: { id: string }, ctx: unknown) => usersOf(ctx).load(args.id) },
    User: { __resolveReference: (ref: { id: string }, ctx: unknown) => usersOf(ctx).load(ref.id) },
  };
}

function usersLoader(pool: Pool): DataLoader<string, UserRow | null> {
  return new DataLoader(async (ids: readonly string[]) => {
    const { rows } = await pool.query<UserRow>('select id, name, email from identity.users where id = any($1::uuid[])', [ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

// The same lean fetcher the Packets gateway gives its data sources (node-fetch 2 over a
// keep-alive http.Agent, apps/gateway/src/signed-data-source.ts), so the comparison
// measures the spine, not the gateway's default fetcher.
const keepAliveAgent = new Agent({ keepAlive: true, maxSockets: 64 });
const fetcher = ((url: string, init?: Record<string, unknown>) =>
  nodeFetch(url, { ...init, agent: keepAliveAgent })) as unknown as typeof import('node-fetch').default;

export interface BareStack {
  url: string;
  stop: () => Promise<void>;
}

export async function startBareStack(opts: { databaseUrl: string; orgId: string }): Promise<BareStack> {
  const controlsPool = countedPool(opts.databaseUrl);
  const usersPool = countedPool(opts.databaseUrl);
  const controls = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: CONTROLS_SDL, resolvers: controlsResolvers(controlsPool, opts.orgId) }) });
  const users = new ApolloServer<UsersContext>({ schema: buildSubgraphSchema({ typeDefs: USERS_SDL, resolvers: usersResolvers() }) });
  const controlsUrl = (await startStandaloneServer(controls, { listen: { port: 0, host: '127.0.0.1' } })).url;
  const usersUrl = (await startStandaloneServer(users, {
    listen: { port: 0, host: '127.0.0.1' },
    context: () => Promise.resolve({ users: usersLoader(usersPool) }), // one loader per request
  })).url;
  const composed = composeServices([
    { name: 'controls', typeDefs: CONTROLS_SDL, url: controlsUrl },
    { name: 'users', typeDefs: USERS_SDL, url: usersUrl },
  ]);
  if (composed.errors) throw new Error(`composition failed: ${composed.errors.map((e) => e.message).join('; ')}`);
  const gateway = new ApolloGateway({
    supergraphSdl: composed.supergraphSdl,
    buildService: ({ url }) => new RemoteGraphQLDataSource({ url, fetcher }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return {
    url: url.replace(/\/$/, ''),
    stop: async () => {
      await server.stop();
      await users.stop();
      await controls.stop();
      await Promise.all([controlsPool.end(), usersPool.end()]);
      keepAliveAgent.destroy();
    },
  };
}
