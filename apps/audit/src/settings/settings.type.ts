import { Field, InputType, Int, ObjectType } from 'type-graphql';
import type { AuditSettingsEntity } from './settings.entity';

/** Three years, counting a leap day: the default and the minimum (AU-3). */
export const MIN_RETENTION_DAYS = 1096;

@ObjectType('AuditWebhook')
export class AuditWebhook {
  @Field(() => String) url!: string;
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => Date, { nullable: true }) configuredAt!: Date | null;
}

@ObjectType('AuditSettings')
export class AuditSettings {
  @Field(() => Int, { description: `Days events are kept; at least ${MIN_RETENTION_DAYS} (3 years)` }) retentionDays!: number;
  @Field(() => AuditWebhook, { nullable: true, description: 'Where alerts are delivered (the secret is never returned)' })
  webhook!: AuditWebhook | null;
}

export function toAuditSettings(s: AuditSettingsEntity | null): AuditSettings {
  if (!s) return { retentionDays: MIN_RETENTION_DAYS, webhook: null };
  return {
    retentionDays: s.retentionDays,
    webhook: s.webhookUrl ? { url: s.webhookUrl, enabled: s.webhookEnabled, configuredAt: s.webhookConfiguredAt } : null,
  };
}

@InputType()
export class AuditWebhookInput {
  @Field(() => String, { description: 'https URL receiving alerts as JSON POSTs' }) url!: string;
  @Field(() => String, {
    description: 'HMAC-SHA256 key (24 to 256 characters); each delivery carries x-packets-signature: t=<unix>,v1=<hex of HMAC(key, "<t>.<body>")>',
  }) secret!: string;
  @Field(() => Boolean, { defaultValue: true }) enabled!: boolean;
}
