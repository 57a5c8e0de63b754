// One tenant transaction per subgraph request (libs/graphql/src/request-tx.ts): the
// request's loader batches share it, so the transactions of a request do not grow
// with its batches; row-level security still scopes every read in it to the org of
// the signed context; a mutation's result read by loaders sees the mutation's writes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlStatements } from '@packets/db';
import { CONTEXT_HEADER, signRequestContext, type RequestContextClaims } from '@packets/context';
import { importPrivateKey } from '@packets/crypto';
import { gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { adminQuery, inject, startTestStack } from './harness';
import { ok } from './compliance-harness';

// four batches in compliance: the list, the requirements of its controls, their frameworks, their evidence
const CONTROLS = `{ controls(first: 20) { edges { node { id requirements { id ref framework { key } } evidence { id title } } } } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Control { id title requirements { id } evidence { id } } } }`;

interface ControlNode { id: string; requirements: { id: string }[]; evidence: { id: string }[] }

describe('one tenant transaction per subgraph request', () => {
  let stack: Stack;
  let a: SignedUp;
  let b: SignedUp;
  let aControls: string[];
  let bControl: string;
  const contextKey = () => importPrivateKey(inject('secrets').contextPrivateKey);

  /** A request straight to the compliance subgraph, signed for `org`'s owner with every permission. */
  async function direct<T>(org: SignedUp, query: string, variables: Record<string, unknown> = {}) {
    const claims: RequestContextClaims = {
      actor: { kind: 'user', orgId: org.orgId, userId: org.userId, sessionId: null, apiKeyId: null, rules: [['manage', 'all']] },
      meta: { requestId: randomUUID(), ip: null, userAgent: null },
    };
    const token = await signRequestContext(claims, 'compliance', contextKey());
    return gql<T>(stack.urls.compliance, query, variables, undefined, { [CONTEXT_HEADER]: token });
  }

  /** The transactions compliance began and the statements it sent while `run` ran. */
  async function counted<T>(run: () => Promise<T>): Promise<{ begins: number; statements: number; out: T }> {
    const c = sqlStatements.bySchema.compliance!;
    const [begins, statements] = [c.begins, c.count];
    const out = await run();
    return { begins: c.begins - begins, statements: c.count - statements, out };
  }

  beforeAll(async () => {
    stack = await startTestStack({ env: { AUDIT_RELAY_INTERVAL_MS: '600000' } });
    [a, b] = await Promise.all([signUp(stack.gatewayUrl, 'Shared Tx A'), signUp(stack.gatewayUrl, 'Shared Tx B')]);
    // A: the SOC 2 starter controls, each mapped to requirements, and evidence on each
    ok(await gql(stack.gatewayUrl, 'mutation { adoptFramework(frameworkKey: "soc2") { id } }', {}, a.token));
    aControls = (await adminQuery<{ id: string }>('select id from compliance.controls where org_id = $1 order by id', [a.orgId])).map((r) => r.id);
    expect(aControls.length).toBeGreaterThanOrEqual(20);
    for (const id of aControls) {
      await adminQuery(`insert into compliance.evidence (id, org_id, control_id, kind, title, url, collected_at, created_by)
        values ($1, $2, $3, 'LINK', 'Evidence', 'https://evidence.example.test', now(), $4)`, [randomUUID(), a.orgId, id, a.userId]);
    }
    bControl = ok(await gql<{ createControl: { id: string } }>(stack.gatewayUrl,
      'mutation { createControl(input: { title: "B only" }) { id } }', {}, b.token)).createControl.id;
    await adminQuery(`insert into compliance.evidence (id, org_id, control_id, kind, title, url, collected_at, created_by)
      values ($1, $2, $3, 'LINK', 'B evidence', 'https://evidence.example.test', now(), $4)`, [randomUUID(), b.orgId, bControl, b.userId]);
  }, 120_000);
  afterAll(() => stack?.stop());

  it('a request whose loaders run several batches begins one transaction', async () => {
    await direct(a, CONTROLS); // warm-up: schema metadata, connections
    const { begins, statements, out } = await counted(() => direct<{ controls: { edges: { node: ControlNode }[] } }>(a, CONTROLS));
    const nodes = ok(out).controls.edges.map((e) => e.node);
    expect(nodes).toHaveLength(20);
    expect(nodes.every((n) => n.requirements.length > 0 && n.evidence.length === 1)).toBe(true);
    console.log(`compliance, one request of four batches: ${begins} transaction(s), ${statements} statements`);
    expect(begins).toBe(1);
    // BEGIN, set_config, the four batches (frameworks: the catalogue's and the org's own), the access event, COMMIT
    expect(statements).toBe(9);
  });

  it('row-level security scopes the shared transaction to the signed org, under concurrent requests of two orgs', async () => {
    const reps = [...aControls.slice(0, 5), bControl].map((id) => ({ __typename: 'Control', id }));
    const runs = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 === 0
      ? direct<{ _entities: (ControlNode | null)[] }>(a, ENTITIES, { r: reps })
      : direct<{ _entities: (ControlNode | null)[] }>(b, ENTITIES, { r: reps }))));
    for (const [i, res] of runs.entries()) {
      const got = ok(res)._entities;
      if (i % 2 === 0) {
        // A sees its five controls with their requirements and evidence, and nothing of B's
        expect(got.slice(0, 5).map((c) => c?.id)).toEqual(aControls.slice(0, 5));
        expect(got.slice(0, 5).every((c) => c!.evidence.length === 1 && c!.requirements.length > 0)).toBe(true);
        expect(got[5]).toBeNull();
      } else {
        expect(got.slice(0, 5)).toEqual([null, null, null, null, null]);
        expect(got[5]).toMatchObject({ id: bControl, title: 'B only', requirements: [] });
        expect(got[5]!.evidence).toHaveLength(1);
      }
    }
    // the batches of one _entities fetch (controls, requirements, evidence) share one transaction too
    const { begins } = await counted(() => direct(a, ENTITIES, { r: reps }));
    expect(begins).toBe(1);
  });

  it('a mutation commits before the loaders of its result read it (no deadlock, its writes seen)', async () => {
    const fw = ok(await gql<{ frameworks: { key: string; requirements: { id: string }[] }[] }>(stack.gatewayUrl,
      '{ frameworks { key requirements { id } } }', {}, a.token)).frameworks.find((f) => f.key === 'soc2')!;
    const target = fw.requirements.slice(0, 3).map((r) => r.id);
    const res = await Promise.race([
      gql<{ mapControl: { id: string; requirements: { id: string }[]; evidence: { id: string }[] } }>(stack.gatewayUrl,
        'mutation($c: ID!, $r: [ID!]!) { mapControl(controlId: $c, requirementIds: $r) { id requirements { id } evidence { id } } }',
        { c: aControls[0], r: target }, a.token),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('mapControl did not answer in 10 s')), 10_000)),
    ]);
    const mapped = ok(res).mapControl;
    expect(mapped.requirements.map((r) => r.id).sort()).toEqual([...target].sort());
    expect(mapped.evidence).toHaveLength(1);
  });
});
