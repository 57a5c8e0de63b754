// The request transaction under load (libs/graphql/src/request-tx.ts): bursts of
// mutations whose results loaders read, beside bursts of reads, on a pool of ten
// connections per subgraph; every request answers without an error and none leaves
// a transaction open.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_HEADER, signRequestContext, type RequestContextClaims } from '@packets/context';
import { importPrivateKey } from '@packets/crypto';
import { codes, gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { adminQuery, inject, startTestStack } from './harness';
import { ok } from './compliance-harness';

const CONTROLS = `{ controls(first: 20) { edges { node { id requirements { id ref framework { key } } evidence { id title } } } } }`;
const MAP = 'mutation($c: ID!, $r: [ID!]!) { mapControl(controlId: $c, requirementIds: $r) { id requirements { id } evidence { id } } }';

describe('the request transaction under bursts', () => {
  let stack: Stack;
  let a: SignedUp;
  let controls: string[];
  let requirements: string[];
  const contextKey = () => importPrivateKey(inject('secrets').contextPrivateKey);

  async function signed(service: 'compliance' | 'identity'): Promise<Record<string, string>> {
    const claims: RequestContextClaims = {
      actor: { kind: 'user', orgId: a.orgId, userId: a.userId, sessionId: null, apiKeyId: null, rules: [['manage', 'all']] },
      meta: { requestId: randomUUID(), ip: null, userAgent: null },
    };
    return { [CONTEXT_HEADER]: await signRequestContext(claims, service, contextKey()) };
  }

  /** A request straight to a subgraph, signed for the owner of `a` with every permission. */
  async function direct<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, service: 'compliance' | 'identity' = 'compliance') {
    return gql<T>(stack.urls[service], query, variables, undefined, await signed(service));
  }

  /** The same, given up by the client after `ms`. */
  async function abandoned(query: string, ms: number): Promise<void> {
    const c = new AbortController();
    setTimeout(() => c.abort(), ms);
    await fetch(stack.urls.compliance, {
      method: 'POST', signal: c.signal, headers: { 'content-type': 'application/json', ...(await signed('compliance')) },
      body: JSON.stringify({ query }),
    }).then((r) => r.text()).catch(() => undefined);
  }

  /** transactions idle for more than a second, but the outbox relays' (which wait for a delivery inside theirs) */
  const openTransactions = () => adminQuery<{ state: string; query: string }>(
    `select state, query from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'
       and state_change < now() - interval '1 second' and pid <> pg_backend_pid()
       and query not like '%outbox_pending(%' and query not like '%audit.chain_append(%'`);

  beforeAll(async () => {
    stack = await startTestStack({ env: { AUDIT_RELAY_INTERVAL_MS: '600000' } });
    a = await signUp(stack.gatewayUrl, 'Burst Org');
    ok(await gql(stack.gatewayUrl, 'mutation { adoptFramework(frameworkKey: "soc2") { id } }', {}, a.token));
    controls = (await adminQuery<{ id: string }>('select id from compliance.controls where org_id = $1 order by id', [a.orgId])).map((r) => r.id);
    requirements = (await adminQuery<{ id: string }>(
      `select r.id from compliance.requirements r join compliance.frameworks f on f.id = r.framework_id where f.key = 'soc2' order by r.id limit 10`)).map((r) => r.id);
    for (const id of controls) {
      await adminQuery(`insert into compliance.evidence (id, org_id, control_id, kind, title, url, collected_at, created_by)
        values ($1, $2, $3, 'LINK', 'Evidence', 'https://evidence.example.test', now(), $4)`, [randomUUID(), a.orgId, id, a.userId]);
    }
  }, 120_000);
  afterAll(() => stack?.stop());

  it('30 mutations read back by loaders beside 30 reads: every answer without an error, no transaction left open', async () => {
    const started = Date.now();
    const runs = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => direct(MAP, { c: controls[i % controls.length], r: requirements.slice(0, 1 + (i % 5)) })),
      ...Array.from({ length: 30 }, () => direct(CONTROLS)),
    ]);
    console.log(`burst of 60 requests: ${Date.now() - started} ms`);
    const failed = runs.filter((r) => r.errors);
    expect(failed.map((r) => r.raw)).toEqual([]);
    expect(await openTransactions()).toEqual([]);
  }, 120_000);

  it('the same burst through the gateway', async () => {
    const runs = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => gql(stack.gatewayUrl, MAP, { c: controls[i % controls.length], r: requirements.slice(0, 1 + (i % 3)) }, a.token)),
      ...Array.from({ length: 30 }, () => gql(stack.gatewayUrl, CONTROLS, {}, a.token)),
    ]);
    expect(runs.filter((r) => r.errors).map((r) => r.raw)).toEqual([]);
    expect(await openTransactions()).toEqual([]);
  }, 120_000);

  it('a read failing inside the shared transaction beside reads whose loaders run meanwhile: no other field fails, no pool starved', async () => {
    // sessions(userId) of a non-member throws NOT_FOUND inside its ctx.tx (and, being non-null, nulls data);
    // the members lists and their loaders run in the same request's transaction meanwhile
    const Q = `query($u: ID!) { s: sessions(userId: $u) { id }
      a: members(first: 50) { edges { node { id user { id email } roles { id name } } } }
      b: members(first: 50) { edges { node { id user { id } roles { id } } } } }`;
    const started = Date.now();
    const runs = await Promise.all(Array.from({ length: 40 }, () => direct(Q, { u: randomUUID() }, 'identity')));
    console.log(`burst of 40 identity requests with a failing field: ${Date.now() - started} ms`);
    for (const r of runs) expect(codes(r), r.raw).toEqual(['NOT_FOUND']);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await openTransactions()).toEqual([]);
  }, 120_000);

  it('a statement PostgreSQL refuses in one batch does not fail the other batches of the request (the transaction it aborted is not theirs)', async () => {
    // two batches of one _entities fetch: users (a value PostgreSQL refuses, 22P02) and organisations
    const Q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } ... on Organization { id } } }`;
    for (const reps of [
      [{ __typename: 'User', id: 'nope' }, { __typename: 'Organization', id: a.orgId }],
      [{ __typename: 'Organization', id: a.orgId }, { __typename: 'User', id: 'nope' }],
    ]) {
      const res = await direct<{ _entities: ({ id: string } | null)[] }>(Q, { r: reps }, 'identity');
      expect(codes(res), res.raw).toEqual(['BAD_USER_INPUT']);
      const org = reps.findIndex((r) => r.__typename === 'Organization');
      expect(res.data?._entities[org], res.raw).toEqual({ id: a.orgId });
    }
    expect(await openTransactions()).toEqual([]);
  });

  it('requests whose client goes away mid-flight leave no transaction open and no connection taken', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => abandoned(CONTROLS, 5 + i * 2)));
    await new Promise((r) => setTimeout(r, 2000));
    expect(await openTransactions()).toEqual([]);
    // the pool still serves a burst
    const after = await Promise.all(Array.from({ length: 20 }, () => direct(CONTROLS)));
    expect(after.filter((r) => r.errors).map((r) => r.raw)).toEqual([]);
  }, 120_000);
});
