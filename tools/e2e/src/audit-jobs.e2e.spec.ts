// The audit subgraph's background work as jobs (libs/jobs on pg-boss): a webhook
// delivery is retried, one job per attempt, with the doubling back-off until the
// receiver takes it; retention runs on its schedule as the retention role.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { codes, gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { adminQuery, inject } from './harness';
import { memberWithRules, startAuditStack } from './audit-support';

const BACKOFF_MS = 400;

/** A receiver on loopback that answers 503 to the first `failFirst` attempts, and when each came. */
async function receiver(failFirst: number): Promise<{ server: Server; url: string; attempts: { at: number; alertId: string }[] }> {
  const attempts: { at: number; alertId: string }[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      attempts.push({ at: Date.now(), alertId: String(req.headers['x-packets-alert-id']) });
      res.writeHead(attempts.length <= failFirst ? 503 : 204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, attempts };
}

describe('audit jobs', () => {
  let stack: Stack;
  let owner: SignedUp;
  let hook: Awaited<ReturnType<typeof receiver>>;
  const namespace = `test-${randomUUID().slice(0, 8)}`;
  const warnings: string[] = [];

  beforeAll(async () => {
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => { warnings.push(args.map(String).join(' ')); });
    stack = await startAuditStack({
      env: {
        JOBS_NAMESPACE: namespace, AUDIT_ALERT_DENIED_BURST: '2', AUDIT_WEBHOOK_BACKOFF_MS: String(BACKOFF_MS), AUDIT_WEBHOOK_MAX_ATTEMPTS: '5',
        // retention every minute as the retention role (here the administrator), so that the test sees it run
        AUDIT_RETENTION_DATABASE_URL: inject('adminUrl'), AUDIT_RETENTION_CRON: '* * * * *',
      },
    });
    owner = await signUp(stack.gatewayUrl, 'Jobs Org');
    hook = await receiver(2);
    const res = await gql(stack.gatewayUrl, 'mutation($i: AuditWebhookInput!) { configureAuditWebhook(input: $i) { url } }',
      { i: { url: hook.url, secret: 'whsec-for-the-jobs-tests-0123456789', enabled: true } }, owner.token);
    expect(res.errors).toBeUndefined();
  });
  afterAll(async () => {
    await stack?.stop();
    hook?.server.close();
    vi.restoreAllMocks();
  });

  it('delivers an alert across a receiver that fails twice: three attempts, three jobs, the back-off doubling', async () => {
    const member = await memberWithRules(stack.gatewayUrl, owner, [{ action: 'read', subject: 'Control' }]);
    for (let i = 0; i < 2; i++) {
      expect(codes(await gql(stack.gatewayUrl, '{ auditEvents(first: 1) { edges { cursor } } }', {}, member.token))).toEqual(['FORBIDDEN']);
    }
    const row = async () => (await adminQuery<{ id: string; webhook_status: string; webhook_attempts: number; webhook_last_error: string | null }>(
      `select id, webhook_status, webhook_attempts, webhook_last_error from audit.alerts where org_id = $1 and rule = 'denied_burst' and actor_id = $2`,
      [owner.orgId, member.userId]))[0];
    await vi.waitFor(async () => expect((await row())?.webhook_status).toBe('delivered'), { timeout: 20_000, interval: 200 });
    const alert = (await row())!;
    expect(alert).toMatchObject({ webhook_attempts: 3, webhook_last_error: null });
    const mine = hook.attempts.filter((a) => a.alertId === alert.id);
    expect(mine).toHaveLength(3);
    expect(mine[1]!.at - mine[0]!.at).toBeGreaterThanOrEqual(BACKOFF_MS - 50);
    expect(mine[2]!.at - mine[1]!.at).toBeGreaterThanOrEqual(2 * BACKOFF_MS - 50);
    const jobs = await adminQuery<{ state: string; attempt: number }>(
      `select state, (data->>'attempt')::int as attempt from jobs.job where name = $1 and data->'data'->>'alertId' = $2 order by created_on`,
      [`${namespace}.audit.webhook-delivery`, alert.id]);
    expect(jobs).toEqual([{ state: 'completed', attempt: 1 }, { state: 'completed', attempt: 2 }, { state: 'completed', attempt: 3 }]);
  });

  it('runs retention on its schedule, as the retention role', async () => {
    await vi.waitFor(async () => {
      const done = await adminQuery<{ state: string }>(`select state from jobs.job where name = $1 and state = 'completed'`, [`${namespace}.audit.retention`]);
      expect(done.length).toBeGreaterThan(0);
    }, { timeout: 30_000, interval: 500 });
    expect(warnings.some((w) => /^audit retention: \d+ organisations, 0 events removed, 0 skipped$/.test(w))).toBe(true);
  });
});
