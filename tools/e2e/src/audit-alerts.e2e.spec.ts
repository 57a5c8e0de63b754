// Alerts (AU-4): rules evaluated as events arrive, alerts in the graph, acknowledged
// by the Owner, delivered to the org's webhook on loopback, HMAC-signed, retried
// with back-off. Thresholds are lowered through settings so a test reaches them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { codes, gql, PASSWORD, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { adminQuery } from './harness';
import { memberWithRules, requestExport, startAuditStack } from './audit-support';

interface Alert { id: string; rule: string; severity: string; actorId: string | null; details: Record<string, unknown>; acknowledgedAt: string | null; webhookStatus: string; webhookAttempts: number }
const ALERTS = `query($f: AuditAlertFilter) { auditAlerts(filter: $f, first: 50) { edges { node {
  id rule severity actorId details acknowledgedAt webhookStatus webhookAttempts } } } }`;

interface Delivery { headers: Record<string, string | string[] | undefined>; body: string }

/** A webhook receiver on loopback that fails the first `failFirst` deliveries. */
async function receiver(failFirst: number): Promise<{ server: Server; url: string; deliveries: Delivery[]; attempts: () => number }> {
  const deliveries: Delivery[] = [];
  let attempts = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      attempts += 1;
      if (attempts <= failFirst) { res.writeHead(500).end(); return; }
      deliveries.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/packets`, deliveries, attempts: () => attempts };
}

describe('audit alerts', () => {
  let stack: Stack;
  let owner: SignedUp;
  const secret = 'whsec-for-the-alert-tests-0123456789';
  let hook: Awaited<ReturnType<typeof receiver>>;

  const alerts = async (token = owner.token, filter: Record<string, unknown> = {}) => {
    const res = await gql<{ auditAlerts: { edges: { node: Alert }[] } }>(stack.gatewayUrl, ALERTS, { f: filter }, token);
    if (!res.data) throw new Error(res.raw);
    return res.data.auditAlerts.edges.map((e) => e.node);
  };
  const waitForAlert = async (rule: string, check: (a: Alert) => boolean = () => true, token = owner.token) => {
    await expect.poll(async () => (await alerts(token)).some((a) => a.rule === rule && check(a)), { timeout: 15_000, interval: 200 }).toBe(true);
    return (await alerts(token)).find((a) => a.rule === rule && check(a))!;
  };

  beforeAll(async () => {
    stack = await startAuditStack({
      env: {
        AUDIT_ALERT_DENIED_BURST: '3', AUDIT_ALERT_READ_MIN: '15', AUDIT_ALERT_READ_FACTOR: '10',
        AUDIT_WEBHOOK_BACKOFF_MS: '100', AUDIT_WEBHOOK_MAX_ATTEMPTS: '4',
      },
    });
    owner = await signUp(stack.gatewayUrl, 'Alert Org');
    hook = await receiver(1);
    const res = await gql(stack.gatewayUrl, 'mutation($i: AuditWebhookInput!) { configureAuditWebhook(input: $i) { url enabled } }',
      { i: { url: hook.url, secret, enabled: true } }, owner.token);
    expect(res.errors).toBeUndefined();
  });
  afterAll(async () => {
    await stack?.stop();
    hook?.server.close();
  });

  it('keeps the webhook secret sealed at rest', async () => {
    const [row] = await adminQuery<{ webhook_secret: string }>('select webhook_secret from audit.org_settings where org_id = $1', [owner.orgId]);
    expect(row!.webhook_secret).toMatch(/^v1\./);
    expect(row!.webhook_secret).not.toContain(secret);
    const settings = await gql<{ auditSettings: { retentionDays: number; webhook: { url: string; enabled: boolean } } }>(
      stack.gatewayUrl, '{ auditSettings { retentionDays webhook { url enabled } } }', {}, owner.token);
    expect(settings.data!.auditSettings).toEqual({ retentionDays: 1096, webhook: { url: hook.url, enabled: true } });
  });

  it('raises a burst of denied requests, delivers it signed after a failed attempt, and the Owner acknowledges it', async () => {
    const member = await memberWithRules(stack.gatewayUrl, owner, [{ action: 'read', subject: 'Control' }]);
    for (let i = 0; i < 3; i++) {
      expect(codes(await gql(stack.gatewayUrl, '{ auditEvents(first: 1) { edges { cursor } } }', {}, member.token))).toEqual(['FORBIDDEN']);
    }
    const alert = await waitForAlert('denied_burst', (a) => a.actorId === member.userId && a.webhookStatus === 'delivered');
    expect(alert).toMatchObject({ severity: 'high', webhookAttempts: 2 });
    expect(hook.attempts()).toBeGreaterThanOrEqual(2);

    const delivery = hook.deliveries.find((d) => (JSON.parse(d.body) as { alert: { id: string } }).alert.id === alert.id)!;
    const header = String(delivery.headers['x-packets-signature']);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header)!;
    const expected = createHmac('sha256', secret).update(`${t}.${delivery.body}`).digest();
    expect(timingSafeEqual(expected, Buffer.from(v1!, 'hex'))).toBe(true);
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'audit.alert', orgId: owner.orgId, alert: { id: alert.id, rule: 'denied_burst' } });

    // an Auditor reads alerts but cannot acknowledge; the Owner can, once
    const auditor = await memberWithRules(stack.gatewayUrl, owner, [{ action: 'read', subject: 'all' }]);
    expect((await alerts(auditor.token)).some((a) => a.id === alert.id)).toBe(true);
    const ACK = 'mutation($id: ID!) { acknowledgeAuditAlert(id: $id) { id acknowledgedAt } }';
    expect(codes(await gql(stack.gatewayUrl, ACK, { id: alert.id }, auditor.token))).toEqual(['FORBIDDEN']);
    const acked = await gql<{ acknowledgeAuditAlert: { acknowledgedAt: string } }>(stack.gatewayUrl, ACK, { id: alert.id }, owner.token);
    expect(acked.data!.acknowledgeAuditAlert.acknowledgedAt).toBeTruthy();
    expect(codes(await gql(stack.gatewayUrl, ACK, { id: alert.id }, owner.token))).toEqual(['CONFLICT']);
    expect((await alerts(owner.token, { acknowledged: false })).some((a) => a.id === alert.id)).toBe(false);
  });

  it('raises unusually many reads compared with the actor\'s own rate', async () => {
    const reader = await memberWithRules(stack.gatewayUrl, owner, [{ action: 'read', subject: 'Control' }]);
    await Promise.all(Array.from({ length: 20 }, () => gql(stack.gatewayUrl, '{ controls(first: 1) { edges { cursor } } }', {}, reader.token)));
    const alert = await waitForAlert('read_spike', (a) => a.actorId === reader.userId);
    expect(alert.details).toMatchObject({ expected: 0 });
  });

  it('raises an export by an actor who does not usually export', async () => {
    const auditor = await memberWithRules(stack.gatewayUrl, owner, [{ action: 'read', subject: 'all' }]);
    await requestExport(stack.gatewayUrl, auditor.token, 'CSV');
    await waitForAlert('unusual_export', (a) => a.actorId === auditor.userId);
  });

  it('an alert filter on a field the role cannot read is no oracle', async () => {
    const auditor = await memberWithRules(stack.gatewayUrl, owner, [{ action: 'read', subject: 'all' }]);
    await requestExport(stack.gatewayUrl, auditor.token, 'CSV');
    const raised = await waitForAlert('unusual_export', (a) => a.actorId === auditor.userId);
    const narrow = await memberWithRules(stack.gatewayUrl, owner, [
      { action: 'read', subject: 'AuditEvent' },
      { action: 'read', subject: 'AuditAlert', fields: ['id', 'severity'] },
    ]);
    const ids = async (filter: Record<string, unknown>) => {
      const res = await gql<{ auditAlerts: { edges: { node: { id: string } }[] } }>(stack.gatewayUrl,
        'query($f: AuditAlertFilter) { auditAlerts(filter: $f, first: 50) { edges { node { id } } } }', { f: filter }, narrow.token);
      expect(res.errors, res.raw).toBeUndefined();
      return res.data!.auditAlerts.edges.map((e) => e.node.id);
    };
    expect(await ids({})).toContain(raised.id);
    // it may not read rule or acknowledgedAt: filtering on them finds nothing
    expect(await ids({ rule: 'unusual_export' })).toEqual([]);
    expect(await ids({ acknowledged: false })).toEqual([]);
  });

  it('raises a sign-in from a device never seen for that user', async () => {
    const SIGN_IN = 'mutation($i: SignInInput!) { signIn(input: $i) { ... on AuthPayload { token } } }';
    const i = { email: owner.email, password: PASSWORD, organizationSlug: owner.slug };
    await gql(stack.gatewayUrl, SIGN_IN, { i });
    const res = await gql(stack.gatewayUrl, SIGN_IN, { i }, undefined, { 'user-agent': 'UnfamiliarBrowser/1.0' });
    expect(res.errors).toBeUndefined();
    const alert = await waitForAlert('new_sign_in_location', (a) => a.actorId === owner.userId);
    expect(alert.details).toMatchObject({ newDevice: true, newIp: false, userAgent: 'UnfamiliarBrowser/1.0' });
  });

  it('raises an attempt to reach another organisation\'s object in the owning organisation, never in the requester\'s', async () => {
    const other = await signUp(stack.gatewayUrl, 'Victim Org');
    const created = await gql<{ createControl: { id: string } }>(stack.gatewayUrl, 'mutation { createControl(input: { title: "Theirs" }) { id } }', {}, other.token);
    const foreignId = created.data!.createControl.id;
    // wait until the victim's control is in its log, then reach for it from the first org
    await expect.poll(async () => (await adminQuery('select 1 from audit.events where subject_id = $1', [foreignId])).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const res = await gql(stack.gatewayUrl, 'query($id: ID!) { control(id: $id) { title } }', { id: foreignId }, owner.token);
    expect(codes(res)).toEqual(['NOT_FOUND']);
    // the owner of the object is told (its own id, nothing about who asked) ...
    const alert = await waitForAlert('cross_org_reference', (a) => (a.details.objectIds as string[]).includes(foreignId), other.token);
    expect(alert).toMatchObject({ severity: 'high', actorId: null, details: { objectIds: [foreignId] } });
    expect(JSON.stringify(alert)).not.toContain(owner.orgId);
    expect(JSON.stringify(alert)).not.toContain(owner.userId);
    // ... and the requester, whose events raised it in the same transaction, learns nothing about which foreign ids exist
    expect((await alerts(owner.token)).filter((a) => a.rule === 'cross_org_reference')).toEqual([]);
    const [leak] = await adminQuery<{ n: string }>(`select count(*) as n from audit.alerts where org_id = $1 and details::text like '%' || $2 || '%'`, [owner.orgId, foreignId]);
    expect(Number(leak!.n)).toBe(0);
    // the victim's own objects do not raise it in the victim's org
    const own = await gql(stack.gatewayUrl, 'query($id: ID!) { control(id: $id) { title } }', { id: foreignId }, other.token);
    expect(own.errors).toBeUndefined();
  });

  it('keeps alerts to Owner and Auditor: an Admin-like role without the log cannot read them', async () => {
    const admin = await memberWithRules(stack.gatewayUrl, owner, [{ action: 'manage', subject: 'all' }, { action: 'manage', subject: 'AuditEvent', inverted: true }]);
    expect(codes(await gql(stack.gatewayUrl, '{ auditAlerts { edges { cursor } } }', {}, admin.token))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(stack.gatewayUrl, 'mutation { setAuditRetention(days: 2000) { retentionDays } }', {}, admin.token))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(stack.gatewayUrl, 'mutation { setAuditRetention(days: 30) { retentionDays } }', {}, owner.token))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('audit webhooks without AUDIT_WEBHOOK_ALLOW_PRIVATE (SSRF)', () => {
  let stack: Stack;
  let owner: SignedUp;
  let hook: Awaited<ReturnType<typeof receiver>>;
  const CONFIGURE = 'mutation($i: AuditWebhookInput!) { configureAuditWebhook(input: $i) { url enabled } }';
  const secret = 'whsec-for-the-ssrf-tests-0123456789abc';

  beforeAll(async () => {
    stack = await startAuditStack({
      env: { AUDIT_WEBHOOK_ALLOW_PRIVATE: 'false', AUDIT_ALERT_DENIED_BURST: '2', AUDIT_WEBHOOK_BACKOFF_MS: '100', AUDIT_WEBHOOK_MAX_ATTEMPTS: '2' },
    });
    owner = await signUp(stack.gatewayUrl, 'SSRF Org');
    hook = await receiver(0);
  });
  afterAll(async () => {
    await stack?.stop();
    hook?.server.close();
  });

  it('refuses loopback, private and reserved targets at configuration, however they are written', async () => {
    for (const url of [
      'https://[::ffff:127.0.0.1]/hook', 'https://[::ffff:7f00:1]/hook', 'https://[64:ff9b::7f00:1]/hook', 'https://[::]/hook',
      'https://0.0.0.0/hook', 'https://2130706433/hook', 'https://0x7f.1/hook', 'https://169.254.169.254/latest', 'https://[fd00::1]/',
      'https://localhost/hook', 'https://hooks.localhost/hook',
    ]) {
      expect(codes(await gql(stack.gatewayUrl, CONFIGURE, { i: { url, secret, enabled: true } }, owner.token)), url).toEqual(['BAD_USER_INPUT']);
    }
    const ok = await gql(stack.gatewayUrl, CONFIGURE, { i: { url: 'https://hooks.example.com/packets', secret, enabled: true } }, owner.token);
    expect(ok.errors).toBeUndefined();
  });

  it('refuses them at delivery too: a stored https://[::ffff:127.0.0.1] (or a name resolving to loopback) is never contacted', async () => {
    const lastError = async (rule: string, actorId: string) => {
      const rows = await adminQuery<{ webhook_status: string; webhook_last_error: string | null }>(
        'select webhook_status, webhook_last_error from audit.alerts where org_id = $1 and rule = $2 and actor_id = $3', [owner.orgId, rule, actorId]);
      return rows[0] ?? null;
    };
    const port = new URL(hook.url).port;
    for (const url of [`http://[::ffff:127.0.0.1]:${port}/hooks/packets`, `http://localhost:${port}/hooks/packets`]) {
      // written past the configuration check, as if it had been stored before it existed
      await adminQuery('update audit.org_settings set webhook_url = $2 where org_id = $1', [owner.orgId, url]);
      const member = await memberWithRules(stack.gatewayUrl, owner, [{ action: 'read', subject: 'Control' }]);
      for (let i = 0; i < 2; i++) {
        expect(codes(await gql(stack.gatewayUrl, '{ auditEvents(first: 1) { edges { cursor } } }', {}, member.token))).toEqual(['FORBIDDEN']);
      }
      await expect.poll(async () => (await lastError('denied_burst', member.userId))?.webhook_status, { timeout: 15_000, interval: 200 }).toBe('failed');
      expect((await lastError('denied_burst', member.userId))!.webhook_last_error, url).toMatch(/^webhook host refused: .*non-public address/);
    }
    expect(hook.attempts()).toBe(0);
  });
});
