// Row-level security on its own, without CASL: connected as the services' role,
// inside org B's tenant transaction, org A's rows do not exist and cannot be written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { eventually, gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { adminQuery, appClient, startTestStack } from './harness';

describe('row-level security as a second wall', () => {
  let stack: Stack;
  let a: SignedUp;
  let b: SignedUp;
  let db: Client;

  beforeAll(async () => {
    stack = await startTestStack();
    [a, b] = await Promise.all([signUp(stack.gatewayUrl, 'RLS A'), signUp(stack.gatewayUrl, 'RLS B')]);
    const res = await gql(stack.gatewayUrl, 'mutation($o: ID) { createControl(input: { title: "A only", ownerId: $o }) { id } }', { o: a.userId }, a.token);
    expect(res.errors).toBeUndefined();
    db = await appClient();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  async function inTenant<T>(orgId: string | null, fn: () => Promise<T>): Promise<T> {
    await db.query('begin');
    try {
      if (orgId) await db.query(`select set_config('app.org_id', $1, true)`, [orgId]);
      return await fn();
    } finally {
      await db.query('rollback');
    }
  }

  it('the app role owns nothing and cannot bypass RLS', async () => {
    const [role] = await adminQuery<{ rolsuper: boolean; rolbypassrls: boolean }>(
      `select rolsuper, rolbypassrls from pg_roles where rolname = 'packets_app'`);
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await adminQuery(`select tablename from pg_tables where tableowner = 'packets_app'`);
    expect(owned).toEqual([]);
    const unforced = await adminQuery<{ relname: string }>(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ('identity', 'compliance', 'audit', 'ai') and c.relkind = 'r'
          and c.relname <> 'mikro_orm_migrations' and not (c.relrowsecurity and c.relforcerowsecurity)`);
    expect(unforced).toEqual([]);
  });

  it("inside org B's transaction a query with no filter returns none of A's rows", async () => {
    const rows = await inTenant(b.orgId, async () => (await db.query<Record<string, unknown>>('select org_id from compliance.controls')).rows);
    expect(rows.every((r) => r.org_id === b.orgId)).toBe(true);
    const aRows = await inTenant(b.orgId, async () =>
      (await db.query<Record<string, unknown>>('select id from compliance.controls where org_id = $1', [a.orgId])).rows);
    expect(aRows).toEqual([]);
    // the same query in A's transaction sees A's control (the check can fail)
    const own = await inTenant(a.orgId, async () =>
      (await db.query<Record<string, unknown>>('select title from compliance.controls where org_id = $1', [a.orgId])).rows);
    expect(own).toEqual([{ title: 'A only' }]);
  });

  it("A's users, memberships and sessions are invisible from B", async () => {
    const users = await inTenant(b.orgId, async () => (await db.query<Record<string, unknown>>('select id from identity.users where id = $1', [a.userId])).rows);
    expect(users).toEqual([]);
    const sessions = await inTenant(b.orgId, async () => (await db.query<Record<string, unknown>>('select id from identity.sessions where org_id = $1', [a.orgId])).rows);
    expect(sessions).toEqual([]);
    const orgs = await inTenant(b.orgId, async () => (await db.query<Record<string, unknown>>('select id from identity.organizations')).rows);
    expect(orgs).toEqual([{ id: b.orgId }]);
  });

  it('with no org set, tenant tables are empty', async () => {
    const rows = await inTenant(null, async () => (await db.query<Record<string, unknown>>('select count(*)::int as n from compliance.controls')).rows);
    expect(rows).toEqual([{ n: 0 }]);
  });

  it("an insert carrying A's org_id inside B's transaction fails", async () => {
    await expect(inTenant(b.orgId, () =>
      db.query(`insert into compliance.controls (id, org_id, title) values ($1, $2, 'planted')`, [randomUUID(), a.orgId]),
    )).rejects.toThrow(/row-level security/);
    const planted = await adminQuery(`select id from compliance.controls where title = 'planted'`);
    expect(planted).toEqual([]);
  });

  it('the audit log accepts no update or delete, even from its owner', async () => {
    const present = await eventually(() => adminQuery('select id from audit.events where org_id = $1', [a.orgId]), (r) => r.length > 0);
    expect(present.length).toBeGreaterThan(0);
    await expect(adminQuery(`update audit.events set action = 'x' where org_id = $1`, [a.orgId])).rejects.toThrow(/append-only/);
    await expect(adminQuery(`delete from audit.events where org_id = $1`, [a.orgId])).rejects.toThrow(/append-only/);
    await expect(inTenant(a.orgId, () => db.query(`delete from audit.events`))).rejects.toThrow(/permission denied/);
  });
});
