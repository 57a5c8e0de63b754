// The tamper-evident log (AU-2): per-org hash chain without forks under concurrent
// writers, append-only for every role but retention, signed checkpoints, and both
// verifiers (verifyAuditChain in the graph, tools/audit-verify offline) naming the
// first bad event after a superuser changes, deletes, inserts or swaps events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashEvent, checkpointSignatureValid, type Checkpoint } from '@packets/audit-log';
import { codes, gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { adminQuery, appClient, inject } from './harness';
import {
  asSuperuser, auditPublicKey, exportAndVerifyOffline, ingest, memberWithRules, startAuditStack, tamper, verifyOnline, waitForEvents, wireEvent,
} from './audit-support';

const root = join(__dirname, '../../..');

/** An org with a few controls whose events have all arrived; returns the chain's control.create events. */
async function orgWithEvents(stack: Stack, name: string): Promise<{ org: SignedUp; ids: { id: string; seq: number }[] }> {
  const org = await signUp(stack.gatewayUrl, name);
  for (let i = 0; i < 4; i++) {
    const res = await gql(stack.gatewayUrl, 'mutation($i: ControlInput!) { createControl(input: $i) { id } }', { i: { title: `Control ${i}` } }, org.token);
    expect(res.errors).toBeUndefined();
  }
  await waitForEvents(stack.gatewayUrl, org.token, { action: 'control.create' }, (e) => e.length === 4);
  const rows = await adminQuery<{ id: string; seq: string }>(
    `select id, seq from audit.events where org_id = $1 and action = 'control.create' order by seq`, [org.orgId]);
  return { org, ids: rows.map((r) => ({ id: r.id, seq: Number(r.seq) })) };
}

describe('the audit hash chain', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startAuditStack();
  });
  afterAll(() => stack?.stop());

  it('chains every event of an org with seq 1..n and verifies, online and offline', async () => {
    const { org } = await orgWithEvents(stack, 'Chain Org');
    const rows = await adminQuery<{ seq: string; prev_hash: string; hash: string }>(
      'select seq, prev_hash, hash from audit.events where org_id = $1 order by seq', [org.orgId]);
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    expect(rows[0]!.prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);

    const online = await verifyOnline(stack.gatewayUrl, org.token);
    expect(online).toMatchObject({ ok: true, firstBrokenEventId: null });
    expect(online.checkedCount).toBeGreaterThanOrEqual(rows.length);
    const { result } = await exportAndVerifyOffline(stack.gatewayUrl, org.token);
    expect(result).toMatchObject({ ok: true, contiguous: true, firstBrokenEventId: null });
    expect(result.checkedCount).toBeGreaterThanOrEqual(rows.length);
  });

  it('does not fork when many writers append to one org at once', async () => {
    const org = await signUp(stack.gatewayUrl, 'Concurrent Org');
    // the sign-up's own event comes through identity's relay: wait for it, so the count below is exact
    for (let i = 0; i < 100; i++) {
      const [seen] = await adminQuery<{ n: string }>('select count(*) as n from audit.events where org_id = $1', [org.orgId]);
      if (Number(seen!.n) >= 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const before = Number((await adminQuery<{ n: string }>('select count(*) as n from audit.events where org_id = $1', [org.orgId]))[0]!.n);
    expect(before).toBeGreaterThanOrEqual(1);
    const batches = Array.from({ length: 12 }, () => Array.from({ length: 10 }, () => wireEvent(org.orgId)));
    const answers = await Promise.all(batches.map((b) => ingest(stack.urls.audit, b)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const [stats] = await adminQuery<{ n: string; distinct_seq: string; max_seq: string; distinct_prev: string }>(
      `select count(*) as n, count(distinct seq) as distinct_seq, max(seq) as max_seq, count(distinct prev_hash) as distinct_prev
         from audit.events where org_id = $1`, [org.orgId]);
    expect(Number(stats!.n)).toBeGreaterThanOrEqual(before + 120);
    expect(Number(stats!.distinct_seq)).toBe(Number(stats!.n));
    expect(Number(stats!.max_seq)).toBe(Number(stats!.n));
    expect(Number(stats!.distinct_prev)).toBe(Number(stats!.n)); // no two events claim the same predecessor
    expect(await verifyOnline(stack.gatewayUrl, org.token)).toMatchObject({ ok: true });
  });

  it('the services role may only read the chain and append through chain_append; triggers refuse changes even to the owner and a superuser', async () => {
    const [row] = await adminQuery<{ id: string; org_id: string }>('select id, org_id from audit.events limit 1');
    const [head] = await adminQuery<{ seq: string; hash: string }>('select seq, hash from audit.chain_heads where org_id = $1', [row!.org_id]);
    const app = await appClient();
    try {
      await app.query(`select set_config('app.org_id', $1, false)`, [row!.org_id]);
      // a forged event straight into the table, and a head rewritten or unsigned: refused to packets_app
      const forged = { ...wireEvent(row!.org_id), seq: Number(head!.seq) + 1, prevHash: head!.hash, receivedAt: new Date().toISOString() } as never;
      await expect(app.query(
        `insert into audit.events (id, org_id, seq, prev_hash, hash, occurred_at, received_at, actor_type, action, outcome, data, source)
         values ($1, $2, $3, $4, $5, now(), now(), 'system', 'forged', 'success', '{}', 'compliance')`,
        [(forged as { id: string }).id, row!.org_id, Number(head!.seq) + 1, head!.hash, hashEvent(forged)],
      )).rejects.toMatchObject({ code: '42501' });
      await expect(app.query(`update audit.chain_heads set signature = null where org_id = $1`, [row!.org_id])).rejects.toMatchObject({ code: '42501' });
      await expect(app.query(`insert into audit.chain_heads (org_id, seq, hash, signed_at, key_id, signature) values (gen_random_uuid(), 0, 'x', now(), 'k', 's')`))
        .rejects.toMatchObject({ code: '42501' });
      // the definer function takes only events that continue the head, under a signature
      await app.query('begin');
      await expect(app.query(`select audit.chain_append($1, $2::jsonb, now(), 'k', null)`, [row!.org_id, JSON.stringify([forged])])).rejects.toMatchObject({ code: '23502' });
      await app.query('rollback');
      await app.query('begin');
      const gap = { ...(forged as object), seq: Number(head!.seq) + 2 };
      await expect(app.query(`select audit.chain_append($1, $2::jsonb, now(), 'k', 'sig')`, [row!.org_id, JSON.stringify([gap])])).rejects.toMatchObject({ code: '23514' });
      await app.query('rollback');
      await app.query('begin');
      const other = (await adminQuery<{ org_id: string }>('select org_id from audit.chain_heads where org_id <> $1 limit 1', [row!.org_id]))[0];
      if (other) {
        await expect(app.query(`select audit.chain_append($1, $2::jsonb, now(), 'k', 'sig')`, [other.org_id, JSON.stringify([forged])])).rejects.toMatchObject({ code: '42501' });
      }
      await app.query('rollback');
      await expect(app.query(`update audit.events set action = 'x' where id = $1`, [row!.id])).rejects.toMatchObject({ code: '42501' });
      await expect(app.query(`delete from audit.events where id = $1`, [row!.id])).rejects.toMatchObject({ code: '42501' });
      await expect(app.query('truncate audit.events')).rejects.toMatchObject({ code: '42501' });
      await expect(app.query(`delete from audit.checkpoints`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await app.end();
    }
    await expect(adminQuery(`update audit.events set action = 'x' where id = $1`, [row!.id])).rejects.toThrow(/append-only/);
    await expect(adminQuery(`delete from audit.events where id = $1`, [row!.id])).rejects.toThrow(/append-only/);
    await expect(adminQuery('truncate audit.events')).rejects.toThrow(/append-only/);
    await expect(adminQuery('truncate audit.checkpoints')).rejects.toThrow(/append-only/);
    // the definer functions belong to the owner role and pin their search_path
    const fns = await adminQuery<{ proname: string; owner: string; secdef: boolean; config: string[] | null }>(
      `select proname, pg_get_userbyid(proowner) as owner, prosecdef as secdef, proconfig as config from pg_proc
        where pronamespace = 'audit'::regnamespace and proname in ('chain_append', 'chain_head_lock') order by proname`);
    expect(fns).toEqual([
      { proname: 'chain_append', owner: 'packets_owner', secdef: true, config: ['search_path=pg_catalog, pg_temp'] },
      { proname: 'chain_head_lock', owner: 'packets_owner', secdef: true, config: ['search_path=pg_catalog, pg_temp'] },
    ]);
    const [nullable] = await adminQuery<{ n: string }>(
      `select count(*) as n from information_schema.columns where table_schema = 'audit' and table_name = 'chain_heads'
        and column_name in ('signature', 'signed_at', 'key_id') and is_nullable = 'NO'`);
    expect(Number(nullable!.n)).toBe(3);
    // the retention role may delete only what a retention checkpoint seals
    await expect(asSuperuser(async (c) => {
      await c.query('begin');
      await c.query('set local role packets_audit_retention');
      await c.query('delete from audit.events where id = $1', [row!.id]);
    })).rejects.toThrow(/append-only/);
  });

  it('publishes signed checkpoints and the key that verifies them', async () => {
    const { org } = await orgWithEvents(stack, 'Checkpoint Org');
    await exportAndVerifyOffline(stack.gatewayUrl, org.token); // an export keeps the signed head as a checkpoint
    const res = await gql<{ auditSigningKey: { keyId: string; publicKey: string; algorithm: string }; auditCheckpoints: { edges: { node: { seq: number; headHash: string; signedAt: string; keyId: string; signature: string; payload: string; kind: string } }[] } }>(
      stack.gatewayUrl, '{ auditSigningKey { keyId publicKey algorithm } auditCheckpoints(first: 5) { edges { node { seq headHash signedAt keyId signature payload kind } } } }', {}, org.token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.auditSigningKey).toMatchObject({ algorithm: 'Ed25519', publicKey: inject('secrets').auditSigningPublicKey });
    const [cp] = res.data!.auditCheckpoints.edges.map((e) => e.node);
    expect(cp).toMatchObject({ kind: 'export', keyId: res.data!.auditSigningKey.keyId });
    const checkpoint: Checkpoint = { orgId: org.orgId, seq: cp!.seq, headHash: cp!.headHash, signedAt: cp!.signedAt, keyId: cp!.keyId, signature: cp!.signature };
    expect(checkpointSignatureValid(auditPublicKey(), checkpoint)).toBe(true);
    expect(JSON.parse(cp!.payload)).toMatchObject({ orgId: org.orgId, seq: cp!.seq, headHash: cp!.headHash });
    const [stored] = await adminQuery<{ hash: string }>('select hash from audit.events where org_id = $1 and seq = $2', [org.orgId, cp!.seq]);
    expect(stored!.hash).toBe(cp!.headHash);
  });

  it('only Owner and Auditor may verify or read checkpoints', async () => {
    const org = await signUp(stack.gatewayUrl, 'Verify Rights Org');
    const res = await gql(stack.gatewayUrl, '{ verifyAuditChain { ok } }');
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    // a role without an AuditEvent rule
    const reader = await memberWithRules(stack.gatewayUrl, org, [{ action: 'read', subject: 'Control' }]);
    const viewer = await gql(stack.gatewayUrl, '{ verifyAuditChain { ok } }', {}, reader.token);
    expect(codes(viewer)).toEqual(['FORBIDDEN']);
    const checkpoints = await gql(stack.gatewayUrl, '{ auditCheckpoints { edges { cursor } } }', {}, reader.token);
    expect(codes(checkpoints)).toEqual(['FORBIDDEN']);
    // and the refusal is itself in the log, as a denied event of that member
    const denied = await waitForEvents(stack.gatewayUrl, org.token, { action: 'access.denied', actorId: reader.userId }, (e) => e.length >= 2);
    expect(denied[0]).toMatchObject({ outcome: 'denied', subjectType: 'AuditEvent', source: 'audit' });
  });
});

describe('both verifiers find tampering by a database superuser', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startAuditStack();
  });
  afterAll(() => stack?.stop());

  async function bothVerifiers(token: string) {
    const online = await verifyOnline(stack.gatewayUrl, token);
    const offline = await exportAndVerifyOffline(stack.gatewayUrl, token);
    return { online, offline: offline.result, text: offline.text };
  }

  it('a changed field: the changed event', async () => {
    const { org, ids } = await orgWithEvents(stack, 'Tamper Change Org');
    const target = ids[1]!;
    await tamper([`update audit.events set data = jsonb_set(data, '{title}', '"Nothing to see"') where id = $1`], [[target.id]]);
    const { online, offline } = await bothVerifiers(org.token);
    expect(online).toMatchObject({ ok: false, firstBrokenEventId: target.id, firstBrokenSeq: target.seq });
    expect(offline).toMatchObject({ ok: false, firstBrokenEventId: target.id, firstBrokenSeq: target.seq });
  });

  it('a deleted event: the event right after the gap', async () => {
    const { org, ids } = await orgWithEvents(stack, 'Tamper Delete Org');
    const target = ids[1]!;
    const [next] = await adminQuery<{ id: string }>('select id from audit.events where org_id = $1 and seq = $2', [org.orgId, target.seq + 1]);
    await tamper(['delete from audit.events where id = $1'], [[target.id]]);
    const { online, offline } = await bothVerifiers(org.token);
    expect(online).toMatchObject({ ok: false, firstBrokenEventId: next!.id, firstBrokenSeq: target.seq + 1 });
    expect(offline).toMatchObject({ ok: false, firstBrokenEventId: next!.id, firstBrokenSeq: target.seq + 1 });
  });

  it('a forged event, correctly hashed onto the chain: the forged event (it is above the signed head)', async () => {
    const { org } = await orgWithEvents(stack, 'Tamper Insert Org');
    const forgedId = await asSuperuser(async (c) => {
      await c.query('begin');
      // the attacker waits for the head lock like any writer, so the forged event lands exactly on top
      const head = (await c.query<{ seq: string; hash: string }>('select seq, hash from audit.chain_heads where org_id = $1 for update', [org.orgId])).rows[0]!;
      const e = wireEvent(org.orgId, { action: 'control.delete', subjectType: 'Control', actorId: org.userId });
      const chained = { ...e, seq: Number(head.seq) + 1, prevHash: head.hash, receivedAt: new Date().toISOString(), occurredAt: e.occurredAt } as never;
      const hash = hashEvent(chained);
      await c.query('set local session_replication_role = replica');
      await c.query(`insert into audit.events (id, org_id, seq, prev_hash, hash, occurred_at, received_at, actor_type, actor_id, action, subject_type, outcome, request_id, ip, user_agent, data, source)
        values ($1, $2, $3, $4, $5, $6, $7, 'user', $8, 'control.delete', 'Control', 'success', $9, '127.0.0.1', 'test', '{}', 'compliance')`,
      [e.id, org.orgId, Number(head.seq) + 1, head.hash, hash, e.occurredAt, (chained as { receivedAt: string }).receivedAt, org.userId, e.requestId]);
      await c.query('commit');
      return e.id as string;
    });
    const { online, offline } = await bothVerifiers(org.token);
    expect(online).toMatchObject({ ok: false, firstBrokenEventId: forgedId });
    expect(offline).toMatchObject({ ok: false, firstBrokenEventId: forgedId });
    // and the service refuses to extend (and re-sign) the altered chain: new events are quarantined, an alert is raised
    await expect.poll(async () => (await adminQuery('select id from audit.quarantine where org_id = $1', [org.orgId])).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const alerts = await adminQuery<{ rule: string }>(`select rule from audit.alerts where org_id = $1`, [org.orgId]);
    expect(alerts.map((a) => a.rule)).toContain('chain_integrity');
  });

  it('a nulled head signature: both verifiers fail, and the service will not extend the chain', async () => {
    const { org } = await orgWithEvents(stack, 'Tamper Unsigned Org');
    expect(await verifyOnline(stack.gatewayUrl, org.token)).toMatchObject({ ok: true });
    // what the old schema let packets_app do; today only a superuser who drops the constraint can
    const [saved] = await adminQuery<{ signature: string }>('select signature from audit.chain_heads where org_id = $1', [org.orgId]);
    await asSuperuser(async (c) => {
      await c.query('alter table audit.chain_heads alter column signature drop not null');
      await c.query('update audit.chain_heads set signature = null where org_id = $1', [org.orgId]);
    });
    try {
      const { online, offline } = await bothVerifiers(org.token);
      expect(online).toMatchObject({ ok: false });
      expect(online.reason).toMatch(/not signed/);
      expect(offline).toMatchObject({ ok: false });
      expect(offline.reason).toMatch(/signed chain head/);
      // the export request above was audited: its event is quarantined, not chained onto the unsigned head
      await expect.poll(async () => (await adminQuery('select id from audit.quarantine where org_id = $1', [org.orgId])).length, { timeout: 10_000 }).toBeGreaterThan(0);
    } finally {
      await asSuperuser(async (c) => {
        await c.query('update audit.chain_heads set signature = $2 where org_id = $1', [org.orgId, saved!.signature]);
        await c.query('alter table audit.chain_heads alter column signature set not null');
      });
    }
  });

  it('two swapped events: the first of them', async () => {
    const { org, ids } = await orgWithEvents(stack, 'Tamper Swap Org');
    const [a, b] = [ids[0]!, ids[2]!];
    await tamper([
      'update audit.events set seq = -1 where id = $1',
      'update audit.events set seq = $2 where id = $1',
      'update audit.events set seq = $2 where id = $1',
    ], [[a.id], [b.id, a.seq], [a.id, b.seq]]);
    const { online, offline } = await bothVerifiers(org.token);
    expect(online).toMatchObject({ ok: false, firstBrokenEventId: b.id, firstBrokenSeq: a.seq });
    expect(offline).toMatchObject({ ok: false, firstBrokenEventId: b.id, firstBrokenSeq: a.seq });
  });

  it('a chain re-hashed from the altered event on: the signed head no longer matches', async () => {
    const { org, ids } = await orgWithEvents(stack, 'Tamper Rehash Org');
    const target = ids[2]!;
    await asSuperuser(async (c) => {
      await c.query('begin');
      await c.query('select 1 from audit.chain_heads where org_id = $1 for update', [org.orgId]);
      await c.query('set local session_replication_role = replica');
      const rows = (await c.query<Record<string, unknown>>('select * from audit.events where org_id = $1 and seq >= $2 order by seq', [org.orgId, target.seq])).rows;
      let prev = (await c.query<{ hash: string }>('select hash from audit.events where org_id = $1 and seq = $2', [org.orgId, target.seq - 1])).rows[0]!.hash;
      for (const r of rows) {
        const data = r.id === target.id ? { title: 'Rewritten' } : r.data;
        const e = {
          id: r.id, orgId: r.org_id, seq: Number(r.seq), prevHash: prev, occurredAt: (r.occurred_at as Date).toISOString(), receivedAt: (r.received_at as Date).toISOString(),
          actorType: r.actor_type, actorId: r.actor_id, sessionId: r.session_id, apiKeyId: r.api_key_id, action: r.action, subjectType: r.subject_type,
          subjectId: r.subject_id, outcome: r.outcome, requestId: r.request_id, ip: r.ip, userAgent: r.user_agent, data, source: r.source,
        } as never;
        const hash = hashEvent(e);
        await c.query('update audit.events set data = $2, prev_hash = $3, hash = $4 where id = $1', [r.id, JSON.stringify(data), prev, hash]);
        prev = hash;
      }
      await c.query('update audit.chain_heads set hash = $2 where org_id = $1', [org.orgId, prev]);
      await c.query('commit');
    });
    const online = await verifyOnline(stack.gatewayUrl, org.token);
    expect(online.ok).toBe(false);
    expect(online.reason).toMatch(/signature/);
  });

  it('the npm script names the first bad event, or says OK (exit codes 1 and 0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-verify-'));
    try {
      const { org, ids } = await orgWithEvents(stack, 'CLI Org');
      const key = inject('secrets').auditSigningPublicKey;
      const run = (file: string) => spawnSync(process.execPath, ['-r', './tools/dev/register.cjs', 'tools/audit-verify/src/main.ts', file, '--public-key', key], { cwd: root, encoding: 'utf8' });
      const good = join(dir, 'good.jsonl');
      writeFileSync(good, (await exportAndVerifyOffline(stack.gatewayUrl, org.token)).text);
      const ok = run(good);
      expect(ok.status).toBe(0);
      expect(ok.stdout).toMatch(/^OK: \d+ events verified/);

      await tamper([`update audit.events set action = 'control.view' where id = $1`], [[ids[0]!.id]]);
      const bad = join(dir, 'bad.jsonl');
      writeFileSync(bad, (await exportAndVerifyOffline(stack.gatewayUrl, org.token)).text);
      const failed = run(bad);
      expect(failed.status).toBe(1);
      expect(failed.stdout).toContain(`first bad event ${ids[0]!.id}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
