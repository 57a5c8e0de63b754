// Benchmark: the controls-with-owners query through the gateway, on 200 seeded
// controls (10 owners). The whole graph runs in this process, as `npm start` runs it;
// autocannon runs in a child process so that load generation does not share our
// event loop. Prints requests/s, latency p50/p99, SQL statements and transactions per request and memory.
//   npm run bench [-- --connections 20 --duration 15 --first 50]
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { Client } from 'pg';
import { sqlStatements } from '@packets/db';
import { addMembers, gql, signUp, type AdminQuery } from '@packets/testing';
import { generateSecrets, migrate, provisionPostgres, startStack } from '@packets/tool-dev';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
}

export function autocannon(url: string, token: string, body: string, connections: number, duration: number): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const bin = require.resolve('autocannon/autocannon.js');
    const child = spawn(process.execPath, [bin, '--json', '-c', String(connections), '-d', String(duration), '-m', 'POST',
      '-H', 'content-type=application/json', '-H', `authorization=Bearer ${token}`, '-b', body, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as AutocannonResult) : reject(new Error(`autocannon exited ${code}`))));
  });
}

/** The benchmarked query (npm run bench:compare sends the same text to the bare stack). */
export const CONTROLS_QUERY = `query Controls($first: Int) { controls(first: $first) { edges { node { id title status owner { id name email } } } pageInfo { hasNextPage endCursor } } }`;

/** The gateway's rate limiter stays on (its counter upserts are part of the cost measured), its limits far above the load. */
export const BENCH_STACK_ENV = { RATE_LIMIT_ANON_POINTS: '1000000000', RATE_LIMIT_CREDENTIAL_POINTS: '1000000000', RATE_LIMIT_ORG_POINTS: '1000000000' };

/** One org with 10 owners and 200 controls made through the gateway; checks that `first` controls come back with owners. */
export async function seedControls(gatewayUrl: string, adminQuery: AdminQuery, first: number): Promise<{ token: string; orgId: string }> {
  const org = await signUp(gatewayUrl, 'Bench Org', `bench-${Date.now()}@example.test`);
  const owners = await addMembers(adminQuery, org.orgId, 10);
  for (let i = 0; i < 200; i++) {
    const res = await gql(gatewayUrl, 'mutation($i: ControlInput!) { createControl(input: $i) { id } }',
      { i: { title: `Control ${i}`, ownerId: owners[i % owners.length], status: 'IN_PROGRESS' } }, org.token);
    if (res.errors) throw new Error(res.raw);
  }
  const check = await gql<{ controls: { edges: { node: { owner: { email: string } } }[] } }>(gatewayUrl, CONTROLS_QUERY, { first }, org.token);
  if (check.data?.controls.edges.length !== first || check.data.controls.edges.some((e) => !e.node.owner.email)) throw new Error(check.raw);
  return { token: org.token, orgId: org.orgId };
}

async function main(): Promise<void> {
  const connections = arg('connections', 20);
  const duration = arg('duration', 15);
  const first = arg('first', 50);
  const secrets = generateSecrets();
  const pg = await provisionPostgres({ databaseUrl: process.env.DATABASE_URL, password: secrets.embeddedPgPassword, folderPrefix: 'packets-bench-' });
  await migrate(pg.adminUrl, secrets.appDbPassword);
  const stack = await startStack({ adminUrl: pg.adminUrl, secrets, nodeEnv: 'production', ports: { gateway: 0, identity: 0, compliance: 0, audit: 0, ai: 0 }, env: BENCH_STACK_ENV });
  const admin = new Client({ connectionString: pg.adminUrl });
  await admin.connect();
  const adminQuery: AdminQuery = async (sql, params = []) => (await admin.query(sql, params)).rows as never;
  try {
    const org = await seedControls(stack.gatewayUrl, adminQuery, first);
    const query = CONTROLS_QUERY;
    const body = JSON.stringify({ query, variables: { first } });

    // SQL statements of one request, then of the whole run
    let before = sqlStatements.count;
    await gql(stack.gatewayUrl, query, { first }, org.token);
    const perSingle = sqlStatements.count - before;
    await autocannon(`${stack.gatewayUrl}/graphql`, org.token, body, connections, 3); // warm-up
    const rssBefore = process.memoryUsage().rss;
    const begins = () => Object.values(sqlStatements.bySchema).reduce((n, s) => n + s.begins, 0);
    before = sqlStatements.count;
    const beginsBefore = begins();
    const r = await autocannon(`${stack.gatewayUrl}/graphql`, org.token, body, connections, duration);
    const statements = sqlStatements.count - before;
    const transactions = begins() - beginsBefore;
    const rssAfter = process.memoryUsage().rss;
    const result = {
      scenario: `controls(first: ${first}) with owners, 200 controls, 10 owners`,
      machine: `${cpus().length} x ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${pg.embedded ? 'embedded' : 'external'} PostgreSQL`,
      connections, durationSeconds: duration,
      requestsPerSecond: Math.round(r.requests.average),
      latencyMs: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
      totalRequests: r.requests.total, non2xx: r.non2xx, errors: r.errors,
      sqlStatementsPerRequest: { single: perSingle, underLoad: Number((statements / Math.max(1, r.requests.total)).toFixed(2)) },
      // BEGINs per request under load, all services (the session look-up, one per subgraph fetch, the audit appends)
      transactionsPerRequest: Number((transactions / Math.max(1, r.requests.total)).toFixed(2)),
      memoryRssMb: { before: Math.round(rssBefore / 2 ** 20), after: Math.round(rssAfter / 2 ** 20) },
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await admin.end();
    await stack.stop();
    await pg.stop();
  }
}

// run as `npm run bench`; imported by compare.ts for its pieces
if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
