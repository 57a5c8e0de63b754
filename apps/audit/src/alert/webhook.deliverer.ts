// Delivers alerts to each organisation's webhook: JSON POST signed with
// HMAC-SHA256 (key = the org's webhook secret, sealed at rest under the org's data
// key), retried with exponential back-off (AUDIT_WEBHOOK_BACKOFF_MS doubling, capped
// at one hour) up to AUDIT_WEBHOOK_MAX_ATTEMPTS. Pending alerts are claimed across
// organisations through a SECURITY DEFINER function with a one-minute lease, so
// several audit instances never send the same attempt twice. The receiver's host is
// resolved once per attempt and the request goes to exactly that address, which must be
// public (libs/net) unless AUDIT_WEBHOOK_ALLOW_PRIVATE is set (tests, a private network).
import { createHmac } from 'node:crypto';
import { decrypt } from '@packets/crypto';
import { tenantTx } from '@packets/db';
import { guardedFetch, UnsafeAddressError } from '@packets/net';
import type { AuditRuntime } from '../audit.context';
import { AlertEntity } from './alert.entity';
import { toAuditAlert } from './alert.type';
import { AuditSettingsEntity } from '../settings/settings.entity';

export const SIGNATURE_HEADER = 'x-packets-signature';
const BATCH = 20;
const TIMEOUT_MS = 5000;
const MAX_BACKOFF_MS = 3_600_000;

/** The signature a receiver recomputes: HMAC-SHA256(secret, `${t}.${body}`), hex. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhookDeliverer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly runtime: AuditRuntime, private readonly intervalMs: number, private readonly log: (m: string) => void) {}

  start(): void {
    this.schedule(0);
  }

  kick(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running.catch(() => undefined);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = (async () => {
      let claimed = 0;
      do {
        claimed = await this.deliverBatch().catch((err: unknown) => {
          this.log(`audit webhooks: ${(err as Error).message}`);
          return 0;
        });
      } while (claimed === BATCH && !this.stopped);
    })();
    await this.running;
    this.running = null;
    this.schedule(this.intervalMs);
  }

  private async deliverBatch(): Promise<number> {
    const em = this.runtime.orm.em.fork();
    const claimed = await em.execute<{ id: string; org_id: string }[]>(`select id, org_id from audit.webhook_claim(?)`, [BATCH]);
    await Promise.all(claimed.map((c) => this.deliver(c.org_id, c.id)));
    return claimed.length;
  }

  private async deliver(orgId: string, alertId: string): Promise<void> {
    const em = this.runtime.orm.em.fork();
    const prepared = await tenantTx(em, orgId, async (tem) => {
      const alert = await tem.findOne(AlertEntity, { id: alertId });
      const settings = await tem.findOne(AuditSettingsEntity, { orgId });
      if (!alert) return null;
      if (!settings?.webhookEnabled || !settings.webhookUrl || !settings.webhookSecret) return { alert, target: null };
      const key = await this.runtime.keyring.dataKey(tem, orgId);
      const secret = decrypt(key, settings.webhookSecret, `audit-webhook:${orgId}`).toString('utf8');
      return { alert, target: { url: settings.webhookUrl, secret } };
    });
    if (!prepared) return;
    let error: string | null = null;
    if (!prepared.target) {
      error = 'webhook not configured';
    } else {
      error = await this.post(prepared.target.url, prepared.target.secret, orgId, prepared.alert);
    }
    await tenantTx(em, orgId, async (tem) => {
      const alert = await tem.findOneOrFail(AlertEntity, { id: alertId });
      alert.webhookAttempts += 1;
      if (error === null) {
        alert.webhookStatus = 'delivered';
        alert.webhookNextAt = null;
        alert.webhookLastError = null;
      } else if (!prepared.target || alert.webhookAttempts >= this.runtime.tuning.webhookMaxAttempts) {
        alert.webhookStatus = 'failed';
        alert.webhookNextAt = null;
        alert.webhookLastError = error;
      } else {
        const delay = Math.min(this.runtime.tuning.webhookBackoffMs * 2 ** (alert.webhookAttempts - 1), MAX_BACKOFF_MS);
        // database time: webhook_claim compares with now() on the server
        await tem.execute(`update audit.alerts set webhook_next_at = now() + (? || ' milliseconds')::interval where id = ?`, [String(delay), alertId]);
        alert.webhookLastError = error;
      }
      await tem.flush();
    });
  }

  /** Returns null on a 2xx answer, else why it failed. */
  private async post(url: string, secret: string, orgId: string, alert: AlertEntity): Promise<string | null> {
    try {
      const target = new URL(url);
      const body = JSON.stringify({ type: 'audit.alert', orgId, alert: toAuditAlert(alert), sentAt: new Date().toISOString() });
      const t = Math.floor(Date.now() / 1000);
      const send = guardedFetch({ allowPrivate: this.runtime.tuning.webhookAllowPrivate });
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
}
