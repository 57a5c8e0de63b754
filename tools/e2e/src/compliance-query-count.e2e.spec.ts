// The SQL cost of compliance lists does not grow with their size: controls with
// their requirements, evidence and owners, and programmes with their framework and
// readiness (one aggregate statement for all of them). Counted, not timed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlStatements } from '@packets/db';
import { gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { addMember, adminQuery } from './harness';
import { ok, startComplianceStack } from './compliance-harness';

const CONTROLS = `query($first: Int) { controls(first: $first) { edges { node {
  id title owner { id name email } requirements { id ref framework { key } } evidence { id kind expired createdBy { id } } } } } }`;
const PROGRAMMES = '{ programmes { id status framework { key name } readiness { requirementCount coveredCount percent } } }';

describe('SQL statements per compliance request', () => {
  let stack: Stack;
  let big: SignedUp;
  let small: SignedUp;

  /**
   * The counter is process-wide, and background deliveries (outbox relays into the
   * audit subgraph) run in the same process: they only ever add statements, so the
   * fewest over a few runs is the request's own cost. Each subgraph's access event
   * (one outbox_append per subgraph fetch) is part of that cost.
   */
  async function count(query: string, variables: Record<string, unknown>, token: string): Promise<{ statements: number; data: unknown }> {
    await gql(stack.gatewayUrl, query, variables, token); // warm the session's last-seen write out of the way
    let statements = Infinity;
    let data: unknown = null;
    for (let run = 0; run < 5; run++) {
      const before = sqlStatements.count;
      const res = await gql(stack.gatewayUrl, query, variables, token);
      statements = Math.min(statements, sqlStatements.count - before);
      data = ok(res);
    }
    return { statements, data };
  }

  beforeAll(async () => {
    // relays deliver on a long interval (and after mutations): the access events the measured reads
    // write wait in the outboxes instead of being appended by the audit subgraph mid-measurement
    ({ stack } = await startComplianceStack(undefined, { AUDIT_RELAY_INTERVAL_MS: '600000' }));
    [big, small] = await Promise.all([signUp(stack.gatewayUrl, 'Counting Big'), signUp(stack.gatewayUrl, 'Counting Small')]);
    // 4 programmes and the 39 starter controls (each mapped across four frameworks)
    for (const k of ['soc2', 'iso27001', 'gdpr', 'dpdp']) ok(await gql(stack.gatewayUrl, 'mutation($k: String!) { adoptFramework(frameworkKey: $k) { id } }', { k }, big.token));
    ok(await gql(stack.gatewayUrl, 'mutation { adoptFramework(frameworkKey: "soc2", includeStarterControls: false) { id } }', {}, small.token));
    const members = (await Promise.all(Array.from({ length: 10 }, () => addMember(stack.gatewayUrl, big)))).map((m) => m.userId);
    const fws = ok(await gql<{ frameworks: { key: string; requirements: { id: string }[] }[] }>(stack.gatewayUrl, '{ frameworks { key requirements { id } } }', {}, big.token)).frameworks;
    const soc2 = fws.find((f) => f.key === 'soc2')!.requirements;
    const iso = fws.find((f) => f.key === 'iso27001')!.requirements;
    for (let i = 0; i < 15; i++) {
      const c = ok(await gql<{ createControl: { id: string } }>(stack.gatewayUrl, 'mutation($i: ControlInput!) { createControl(input: $i) { id } }', { i: { title: `Extra ${i}` } }, big.token)).createControl;
      ok(await gql(stack.gatewayUrl, 'mutation($c: ID!, $r: [ID!]!) { mapControl(controlId: $c, requirementIds: $r) { id } }', { c: c.id, r: [soc2[i]!.id, iso[i]!.id] }, big.token));
    }
    // owners and two pieces of evidence per control (set-up through SQL: what is counted is the read)
    const controls = await adminQuery<{ id: string }>('select id from compliance.controls where org_id = $1 order by id', [big.orgId]);
    expect(controls.length).toBeGreaterThanOrEqual(50);
    for (const [i, c] of controls.entries()) {
      await adminQuery('update compliance.controls set owner_id = $2 where id = $1', [c.id, members[i % members.length]]);
      for (const n of [1, 2]) {
        await adminQuery(`insert into compliance.evidence (id, org_id, control_id, control_owner_id, kind, title, url, collected_at, created_by)
          values ($1, $2, $3, $4, 'LINK', $5, 'https://evidence.example.test', now(), $6)`,
        [randomUUID(), big.orgId, c.id, members[i % members.length], `Evidence ${n}`, big.userId]);
      }
    }
  }, 180_000);
  afterAll(() => stack?.stop());

  it('controls(first: 50) with requirements, evidence and owners costs the same as controls(first: 5)', async () => {
    const five = await count(CONTROLS, { first: 5 }, big.token);
    const fifty = await count(CONTROLS, { first: 50 }, big.token);
    const nodes = (fifty.data as { controls: { edges: { node: { owner: { email: string } | null; requirements: unknown[]; evidence: unknown[] } }[] } }).controls.edges.map((e) => e.node);
    expect(nodes).toHaveLength(50);
    expect(nodes.every((n) => n.owner !== null && n.evidence.length === 2)).toBe(true);
    expect(nodes.every((n) => n.requirements.length > 0)).toBe(true);
    console.log(`compliance SQL statements: controls first 5 -> ${five.statements}, first 50 -> ${fifty.statements}`);
    expect(five.statements).toBeGreaterThan(0);
    expect(fifty.statements).toBe(five.statements);
    // 29 before issue 9, when each of compliance's four loader batches had its own transaction;
    // one transaction per subgraph request since
    expect(fifty.statements).toBeLessThanOrEqual(20);
  });

  it('programmes with frameworks and readiness cost the same for one programme as for four', async () => {
    const one = await count(PROGRAMMES, {}, small.token);
    const four = await count(PROGRAMMES, {}, big.token);
    expect((four.data as { programmes: unknown[] }).programmes).toHaveLength(4);
    expect((one.data as { programmes: unknown[] }).programmes).toHaveLength(1);
    console.log(`compliance SQL statements: programmes 1 -> ${one.statements}, 4 -> ${four.statements}`);
    expect(four.statements).toBe(one.statements);
    // 20 before issue 9 (one transaction per loader batch), one per subgraph request since
    expect(four.statements).toBeLessThanOrEqual(14);
  });
});
