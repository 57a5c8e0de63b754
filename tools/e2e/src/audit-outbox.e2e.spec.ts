// Audit events travel with their change: written in the same transaction into the
// subgraph's outbox, relayed at-least-once, stored once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { signServiceCall, SERVICE_HEADER } from '@packets/context';
import { importPrivateKey } from '@packets/crypto';
import { codes, eventually, gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { adminQuery, appClient, inject, startTestStack } from './harness';

type Events = { auditEvents: { edges: { node: { id: string; action: string; subjectId: string | null; outcome: string; actor: { email: string } | null } }[] } };
const EVENTS = `query($f: AuditFilter) { auditEvents(filter: $f, first: 100) { edges { node { id action subjectId outcome actor { email } } } } }`;

describe('audit events through the outbox', () => {
  let stack: Stack;
  let owner: SignedUp;

  beforeAll(async () => {
    stack = await startTestStack();
    owner = await signUp(stack.gatewayUrl, 'Audit Org');
  });
  afterAll(() => stack?.stop());

  const events = (filter: Record<string, unknown> = {}) => gql<Events>(stack.gatewayUrl, EVENTS, { f: filter }, owner.token);

  it('records signUp and createControl with actor, subject and outcome', async () => {
    const created = await gql<{ createControl: { id: string } }>(stack.gatewayUrl,
      'mutation { createControl(input: { title: "Logged control" }) { id } }', {}, owner.token);
    const id = created.data!.createControl.id;
    const res = await eventually(() => events(), (r) => (r.data?.auditEvents.edges.length ?? 0) >= 2);
    const nodes = res.data!.auditEvents.edges.map((e) => e.node);
    expect(nodes.find((n) => n.action === 'organization.sign_up')).toMatchObject({ subjectId: owner.orgId, outcome: 'success', actor: { email: owner.email } });
    expect(nodes.find((n) => n.action === 'control.create')).toMatchObject({ subjectId: id, outcome: 'success', actor: { email: owner.email } });
  });

  it('a mutation that fails after its write rolls back both the row and its event', async () => {
    // Make the outbox insert fail for one marked title: the control row is already
    // written (flushed) in the same transaction by then.
    const fn = `audit_test_boom_${process.pid}`;
    await adminQuery(`create or replace function compliance.${fn}() returns trigger language plpgsql as $$
      begin if new.payload->'data'->>'title' = 'explode-after-write' then raise exception 'injected failure'; end if; return new; end $$`);
    await adminQuery(`create trigger ${fn} before insert on compliance.audit_outbox for each row execute function compliance.${fn}()`);
    try {
      const res = await gql(stack.gatewayUrl, 'mutation { createControl(input: { title: "explode-after-write" }) { id } }', {}, owner.token);
      expect(codes(res)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(res.raw).not.toContain('injected failure'); // no internals outside development
    } finally {
      await adminQuery(`drop trigger ${fn} on compliance.audit_outbox`);
      await adminQuery(`drop function compliance.${fn}()`);
    }
    expect(await adminQuery(`select id from compliance.controls where title = 'explode-after-write'`)).toEqual([]);
    expect(await adminQuery(`select id from compliance.audit_outbox where payload->'data'->>'title' = 'explode-after-write'`)).toEqual([]);
    expect(await adminQuery(`select id from audit.events where data->>'title' = 'explode-after-write'`)).toEqual([]);
  });

  it('an event written while the audit subgraph is down arrives once it is back, once', async () => {
    await stack.stopService('audit');
    let controlId: string;
    try {
      const res = await gql<{ createControl: { id: string } }>(stack.gatewayUrl,
        'mutation { createControl(input: { title: "While audit is down" }) { id } }', {}, owner.token);
      expect(res.errors).toBeUndefined();
      controlId = res.data!.createControl.id;
      // committed with the change; positive signal that the relay tried and failed: a
      // stand-in on the audit port, refusing with 503, receives this very event
      const seen: string[] = [];
      const standIn = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
        req.on('end', () => { seen.push(body); res.writeHead(503).end(); });
      });
      await new Promise<void>((r) => standIn.listen(Number(new URL(stack.urls.audit).port), '127.0.0.1', r));
      try {
        const tried = await eventually(() => Promise.resolve(seen.some((b) => b.includes(controlId))), (t) => t);
        expect(tried).toBe(true);
      } finally {
        standIn.closeAllConnections();
        await new Promise((r) => standIn.close(r));
      }
      const pending = await adminQuery(`select id from compliance.audit_outbox where payload->>'subjectId' = $1`, [controlId]);
      expect(pending).toHaveLength(1);
    } finally {
      await stack.startService('audit');
    }
    const res = await eventually(() => events({ subjectId: controlId }), (r) => (r.data?.auditEvents.edges.length ?? 0) > 0);
    expect(res.data!.auditEvents.edges).toHaveLength(1);
    expect(res.data!.auditEvents.edges[0]!.node.action).toBe('control.create');
    const left = await eventually(() => adminQuery(`select id from compliance.audit_outbox where payload->>'subjectId' = $1`, [controlId]), (r) => r.length === 0);
    expect(left).toEqual([]);
  });

  it('the app role cannot clear outbox rows it has not just claimed (finding 7)', async () => {
    await stack.stopService('audit');
    const app = await appClient();
    try {
      const res = await gql<{ createControl: { id: string } }>(stack.gatewayUrl,
        'mutation { createControl(input: { title: "Kept in the outbox" }) { id } }', {}, owner.token);
      expect(res.errors).toBeUndefined();
      const pending = () => adminQuery<{ id: string }>(`select id from compliance.audit_outbox where payload->>'subjectId' = $1`, [res.data!.createControl.id]);
      const [row] = await pending();
      expect(row).toBeDefined();
      // no plain DELETE (nor SELECT) on the outbox
      await expect(app.query('delete from compliance.audit_outbox')).rejects.toMatchObject({ code: '42501' });
      // the delete function clears only rows the calling transaction claimed: this one claimed none
      const cleared = await app.query<{ n: number }>('select compliance.outbox_delivered($1::uuid[]) as n', [[row!.id]]);
      expect(cleared.rows[0]!.n).toBe(0);
      expect(await pending()).toHaveLength(1);
    } finally {
      await app.end();
      await stack.startService('audit');
    }
  });

  it('a redelivered event is stored once (append is idempotent by event id)', async () => {
    const event = {
      id: randomUUID(), orgId: owner.orgId, occurredAt: new Date().toISOString(), actorType: 'user', actorId: owner.userId,
      sessionId: null, apiKeyId: null, action: 'test.redelivery', subjectType: null, subjectId: null, outcome: 'success',
      requestId: null, ip: null, userAgent: null, data: {}, source: 'compliance',
    };
    const key = importPrivateKey(inject('secrets').serviceKeys.compliance.privateKey);
    const post = async () => {
      const body = JSON.stringify({ events: [event, event] });
      const res = await fetch(`${stack.urls.audit}/internal/events`, {
        method: 'POST', body,
        headers: { 'content-type': 'application/json', [SERVICE_HEADER]: await signServiceCall('compliance', 'audit:ingest', body, key) },
      });
      return (await res.json()) as { inserted: number };
    };
    expect((await post()).inserted).toBe(1);
    expect((await post()).inserted).toBe(0);
    expect(await adminQuery('select id from audit.events where id = $1', [event.id])).toHaveLength(1);
  });

  it('a failed sign-in is recorded as a failure in the org it targeted', async () => {
    const res = await gql(stack.gatewayUrl, `mutation($i: SignInInput!) { signIn(input: $i) { __typename } }`,
      { i: { email: owner.email, password: 'wrong password, long enough', organizationSlug: owner.slug } });
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    const logged = await eventually(() => events({ action: 'auth.sign_in', outcome: 'failure' }), (r) => (r.data?.auditEvents.edges.length ?? 0) > 0);
    expect(logged.data!.auditEvents.edges[0]!.node.outcome).toBe('failure');
  });
});
