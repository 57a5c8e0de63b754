// Delivers alerts to each organisation's webhook: JSON POST signed with
// HMAC-SHA256 (key = the org's webhook secret, sealed at rest under the org's data
// key). Two jobs (libs/jobs, so several audit instances share them and never send
// one attempt twice):
//   - the sweep finds pending alerts that are due, across organisations, through the
//     SECURITY DEFINER audit.webhook_claim (a one-minute lease), and sends one delivery
//     job per alert; it runs when an alert is raised (kickWebhooks) and every minute,
//     which picks up whatever a crash left pending;
//   - each delivery attempt is one job: up to AUDIT_WEBHOOK_MAX_ATTEMPTS attempts, the
//     next one AUDIT_WEBHOOK_BACKOFF_MS later, doubling, capped at one hour.
// The receiver's host is resolved once per attempt and the request goes to exactly that
// address, which must be public (libs/net) unless AUDIT_WEBHOOK_ALLOW_PRIVATE is set
// (tests, a private network).
import { createHmac } from 'node:crypto';
import { decrypt } from '@packets/crypto';
import { tenantTx } from '@packets/db';
import type { JobContext, JobDefinition } from '@packets/jobs';
import { guardedFetch, UnsafeAddressError } from '@packets/net';
import type { AuditRuntime } from '../audit.context';
import { AlertEntity } from './alert.entity';
import { toAuditAlert } from './alert.type';
import { AuditSettingsEntity } from '../settings/settings.entity';

export const SIGNATURE_HEADER = 'x-packets-signature';
export const WEBHOOK_SWEEP_JOB = 'audit.webhook-sweep';
export const WEBHOOK_DELIVERY_JOB = 'audit.webhook-delivery';
const BATCH = 20;
const TIMEOUT_MS = 5000;
const MAX_BACKOFF_MS = 3_600_000;
/** deliveries running at once per audit instance (a slow receiver holds one for up to TIMEOUT_MS) */
const CONCURRENCY = 5;

interface Delivery {
  orgId: string;
  alertId: string;
}

/** The signature a receiver recomputes: HMAC-SHA256(secret, `${t}.${body}`), hex. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Asks for a sweep now (an alert was raised); one waits behind a running one, more are dropped. */
export function kickWebhooks(runtime: AuditRuntime, log: (m: string) => void): void {
  runtime.jobs.send(WEBHOOK_SWEEP_JOB, {}).catch((err: unknown) => log(`audit webhooks: ${(err as Error).message}`));
}

export function webhookJobs(runtime: AuditRuntime): JobDefinition[] {
  const sweep: JobDefinition = { name: WEBHOOK_SWEEP_JOB, policy: 'stately', schedule: { cron: '* * * * *' }, handler: () => sweepDue(runtime) };
  const delivery: JobDefinition<Delivery> = {
    name: WEBHOOK_DELIVERY_JOB,
    // one waiting attempt per alert: a sweep that finds an alert already queued adds nothing
    policy: 'stately',
    retry: { limit: runtime.tuning.webhookMaxAttempts, baseMs: runtime.tuning.webhookBackoffMs, maxMs: MAX_BACKOFF_MS },
    concurrency: CONCURRENCY,
    timeoutSeconds: 60,
    handler: (job) => deliver(runtime, job),
  };
  return [sweep, delivery as JobDefinition];
}

async function sweepDue(runtime: AuditRuntime): Promise<void> {
  let claimed: { id: string; org_id: string }[];
  do {
    claimed = await runtime.orm.em.fork().execute<{ id: string; org_id: string }[]>(`select id, org_id from audit.webhook_claim(?)`, [BATCH]);
    for (const c of claimed) {
      await runtime.jobs.send<Delivery>(WEBHOOK_DELIVERY_JOB, { orgId: c.org_id, alertId: c.id }, { singletonKey: c.id });
    }
  } while (claimed.length === BATCH);
}

/** One attempt; throws when another should follow (the job's retry sends it after the back-off). */
async function deliver(runtime: AuditRuntime, job: JobContext<Delivery>): Promise<void> {
  const { orgId, alertId } = job.data;
  const em = runtime.orm.em.fork();
  const prepared = await tenantTx(em, orgId, async (tem) => {
    const alert = await tem.findOne(AlertEntity, { id: alertId });
    if (!alert || alert.webhookStatus !== 'pending') return null;
    // the lease webhook_claim takes, so that a sweep meanwhile leaves this alert alone
    await tem.execute(`update audit.alerts set webhook_next_at = now() + interval '1 minute' where id = ?`, [alertId]);
    const settings = await tem.findOne(AuditSettingsEntity, { orgId });
    if (!settings?.webhookEnabled || !settings.webhookUrl || !settings.webhookSecret) return { alert, target: null };
    const key = await runtime.keyring.dataKey(tem, orgId);
    const secret = decrypt(key, settings.webhookSecret, `audit-webhook:${orgId}`).toString('utf8');
    return { alert, target: { url: settings.webhookUrl, secret } };
  });
  if (!prepared) return;
  const error = prepared.target
    ? await post(runtime, prepared.target.url, prepared.target.secret, orgId, prepared.alert)
    : 'webhook not configured';
  const retry = await tenantTx(em, orgId, async (tem) => {
    const alert = await tem.findOneOrFail(AlertEntity, { id: alertId });
    alert.webhookAttempts += 1;
    alert.webhookLastError = error;
    let retryAt: number | null = null;
    if (error === null) {
      alert.webhookStatus = 'delivered';
      alert.webhookNextAt = null;
    } else if (!prepared.target || job.retryInMs === null || alert.webhookAttempts >= runtime.tuning.webhookMaxAttempts) {
      alert.webhookStatus = 'failed';
      alert.webhookNextAt = null;
    } else {
      retryAt = job.retryInMs;
    }
    await tem.flush();
    // database time: webhook_claim compares with now() on the server
    if (retryAt !== null) await tem.execute(`update audit.alerts set webhook_next_at = now() + (? || ' milliseconds')::interval where id = ?`, [String(retryAt), alertId]);
    return retryAt !== null;
  });
  if (retry) throw new Error(`alert ${alertId}: ${error}`);
}

/** Returns null on a 2xx answer, else why it failed. */
async function post(runtime: AuditRuntime, url: string, secret: string, orgId: string, alert: AlertEntity): Promise<string | null> {
  try {
    const target = new URL(url);
    // real time, not the runtime's clock: the receiver checks t against its own
    const body = JSON.stringify({ type: 'audit.alert', orgId, alert: toAuditAlert(alert), sentAt: new Date().toISOString() });
    const t = Math.floor(Date.now() / 1000);
    const send = guardedFetch({ allowPrivate: runtime.tuning.webhookAllowPrivate });
    const res = await send(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: webhookSignature(secret, t, body), 'x-packets-alert-id': alert.id },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.body?.cancel().catch(() => undefined);
    return res.ok ? null : `receiver answered ${res.status}`;
  } catch (err) {
    if (err instanceof UnsafeAddressError) return `webhook host refused: ${err.message}`;
    return (err as Error).name === 'TimeoutError' ? 'receiver timed out' : `delivery failed: ${(err as Error).message}`;
  }
}
