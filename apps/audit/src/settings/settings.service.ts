// Audit settings of an organisation: retention (at least three years) and the
// alert webhook. Changing them needs the log (read AuditEvent) and the settings
// (update AuditSettings): Owner by default.
import { isIP } from 'node:net';
import { encrypt } from '@packets/crypto';
import { badInput, validate } from '@packets/graphql';
import { isPublicAddress } from '@packets/net';
import { AuditSettingsEntity } from './settings.entity';
import { MIN_RETENTION_DAYS, toAuditSettings, type AuditSettings, type AuditWebhook, type AuditWebhookInput } from './settings.type';
import type { AuditContext } from '../audit.context';

export const webhookSecretAad = (orgId: string): string => `audit-webhook:${orgId}`;

export async function getSettings(ctx: AuditContext): Promise<AuditSettings> {
  ctx.authorize('read', 'AuditEvent');
  ctx.authorize('read', 'AuditSettings');
  const row = await ctx.tx((em) => em.findOne(AuditSettingsEntity, { orgId: ctx.orgId }));
  return toAuditSettings(row);
}

export async function setRetention(ctx: AuditContext, days: number): Promise<AuditSettings> {
  ctx.authorize('read', 'AuditEvent');
  ctx.authorize('update', 'AuditSettings');
  if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS || days > 36_600) {
    throw badInput(`days must be between ${MIN_RETENTION_DAYS} (3 years) and 36600`, 'days');
  }
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    const row = await em.findOne(AuditSettingsEntity, { orgId: ctx.orgId })
      ?? em.create(AuditSettingsEntity, {
        orgId: ctx.orgId, retentionDays: MIN_RETENTION_DAYS, webhookUrl: null, webhookSecret: null, webhookEnabled: false,
        webhookConfiguredAt: null, updatedAt: now,
      });
    const previous = row.retentionDays;
    row.retentionDays = days;
    row.updatedAt = now;
    return { result: toAuditSettings(row), audit: { action: 'audit.retention_set', subjectType: 'AuditSettings', subjectId: ctx.orgId, data: { previous, days } } };
  });
}

export async function configureWebhook(ctx: AuditContext, input: AuditWebhookInput): Promise<AuditWebhook> {
  ctx.authorize('read', 'AuditEvent');
  ctx.authorize('update', 'AuditSettings');
  const url = parseWebhookUrl(validate.text(input.url, 'url', { max: 2000 }), ctx.runtime.tuning.webhookAllowPrivate, ctx.runtime.dev);
  const secret = validate.text(input.secret, 'secret', { min: 24, max: 256 });
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    const key = await ctx.runtime.keyring.dataKey(em, ctx.orgId);
    const sealed = encrypt(key, secret, webhookSecretAad(ctx.orgId));
    const row = await em.findOne(AuditSettingsEntity, { orgId: ctx.orgId })
      ?? em.create(AuditSettingsEntity, {
        orgId: ctx.orgId, retentionDays: MIN_RETENTION_DAYS, webhookUrl: null, webhookSecret: null, webhookEnabled: false,
        webhookConfiguredAt: null, updatedAt: now,
      });
    Object.assign(row, { webhookUrl: url.toString(), webhookSecret: sealed, webhookEnabled: input.enabled, webhookConfiguredAt: now, updatedAt: now });
    return {
      result: { url: row.webhookUrl!, enabled: row.webhookEnabled, configuredAt: now },
      // the secret is redacted at the source by key name; it is not even passed
      audit: { action: 'audit.webhook_configure', subjectType: 'AuditSettings', subjectId: ctx.orgId, data: { url: url.toString(), enabled: input.enabled } },
    };
  });
}

/** https only outside development; no loopback, private or reserved addresses unless allowed (SSRF). */
function parseWebhookUrl(value: string, allowPrivate: boolean, dev: boolean): URL {
  let url: URL;
  try { url = new URL(value); } catch { throw badInput('url is not a valid URL', 'url'); }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (dev || allowPrivate))) throw badInput('url must use https', 'url');
  if (url.username || url.password) throw badInput('url must not carry credentials', 'url');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  // an IP literal is checked here; a name is resolved and checked at every delivery
  const literal = isIP(host) !== 0;
  if (!allowPrivate && ((literal && !isPublicAddress(host)) || host === 'localhost' || host.endsWith('.localhost'))) {
    throw badInput('url must not point at a loopback, private or reserved address', 'url');
  }
  return url;
}
