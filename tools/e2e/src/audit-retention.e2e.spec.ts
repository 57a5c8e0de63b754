// Retention: events older than the org's retention (default and minimum 3 years)
// are removed only by the retention job, which first re-verifies and seals them with
// a signed checkpoint, so the rest of the chain still verifies. The job's clock is
// injected: "three years later" without waiting three years.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRetention } from '@packets/audit';
import { importPrivateKey } from '@packets/crypto';
import { gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { adminQuery, inject } from './harness';
import { exportAndVerifyOffline, ingest, startAuditStack, tamper, verifyOnline, waitForEvents, wireEvent } from './audit-support';

const DAY = 86_400_000;

describe('audit retention', () => {
  let stack: Stack;
  const now = Date.now();
  const later = (days: number) => () => new Date(now + days * DAY);
  const retention = (orgIds: string[], clock: () => Date) => runRetention({
    databaseUrl: inject('adminUrl'), signingKey: importPrivateKey(inject('secrets').auditSigningPrivateKey), now: clock, orgIds,
  });

  async function orgWithHistory(name: string): Promise<{ org: SignedUp; recentIds: string[] }> {
    const org = await signUp(stack.gatewayUrl, name);
    for (let i = 0; i < 3; i++) await gql(stack.gatewayUrl, 'mutation { createControl(input: { title: "Old" }) { id } }', {}, org.token);
    await waitForEvents(stack.gatewayUrl, org.token, { action: 'control.create' }, (e) => e.length === 3);
    // events that, three years and ten days from now, are five days old
    const recent = [1, 2].map(() => wireEvent(org.orgId, { occurredAt: new Date(now + (3 * 365 + 5) * DAY).toISOString(), action: 'test.recent' }));
    expect((await ingest(stack.urls.audit, recent)).status).toBe(200);
    return { org, recentIds: recent.map((e) => e.id as string) };
  }

  beforeAll(async () => {
    stack = await startAuditStack();
  });
  afterAll(() => stack?.stop());

  it('keeps everything younger than three years', async () => {
    const { org } = await orgWithHistory('Young Org');
    const [report] = await retention([org.orgId], later(2 * 365));
    expect(report).toMatchObject({ orgId: org.orgId, retentionDays: 1096, deleted: 0, error: null });
  });

  it('removes the older part of the chain after sealing it; the rest still verifies online and offline', async () => {
    const { org, recentIds } = await orgWithHistory('Old Org');
    const [firstRecent] = await adminQuery<{ seq: string }>('select seq from audit.events where id = $1', [recentIds[0]]);
    const [report] = await retention([org.orgId], later(3 * 365 + 10));
    const sealed = Number(firstRecent!.seq) - 1;
    expect(report).toMatchObject({ orgId: org.orgId, deleted: sealed, sealedThroughSeq: sealed, error: null });

    const left = await adminQuery<{ seq: string }>('select seq from audit.events where org_id = $1 order by seq limit 1', [org.orgId]);
    expect(Number(left[0]!.seq)).toBe(sealed + 1);
    const [cp] = await adminQuery<{ seq: string; kind: string }>(`select seq, kind from audit.checkpoints where org_id = $1 and kind = 'retention'`, [org.orgId]);
    expect(Number(cp!.seq)).toBe(sealed);

    const online = await verifyOnline(stack.gatewayUrl, org.token);
    expect(online).toMatchObject({ ok: true, firstBrokenEventId: null });
    const { result } = await exportAndVerifyOffline(stack.gatewayUrl, org.token);
    expect(result).toMatchObject({ ok: true, firstBrokenEventId: null });
    // a second pass finds nothing more to remove
    expect((await retention([org.orgId], later(3 * 365 + 10)))[0]).toMatchObject({ deleted: 0 });
  });

  it('honours a longer retention set by the organisation', async () => {
    const { org } = await orgWithHistory('Long Retention Org');
    const res = await gql(stack.gatewayUrl, 'mutation { setAuditRetention(days: 1461) { retentionDays } }', {}, org.token);
    expect(res.errors).toBeUndefined();
    expect((await retention([org.orgId], later(3 * 365 + 10)))[0]).toMatchObject({ retentionDays: 1461, deleted: 0 });
  });

  it('refuses to seal a segment that does not verify', async () => {
    const { org } = await orgWithHistory('Tampered Old Org');
    const [victim] = await adminQuery<{ id: string }>(`select id from audit.events where org_id = $1 and action = 'control.create' limit 1`, [org.orgId]);
    await tamper([`update audit.events set outcome = 'failure' where id = $1`], [[victim!.id]]);
    const [report] = await retention([org.orgId], later(3 * 365 + 10));
    expect(report!.deleted).toBe(0);
    expect(report!.error).toMatch(/not sealed/);
    expect(await adminQuery('select id from audit.events where id = $1', [victim!.id])).toHaveLength(1);
  });
});
