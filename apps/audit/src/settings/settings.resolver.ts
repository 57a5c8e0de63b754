import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { AuditContext } from '../audit.context';
import { AuditSettings, AuditWebhook, AuditWebhookInput } from './settings.type';
import { configureWebhook, getSettings, setRetention } from './settings.service';

@Resolver(() => AuditSettings)
export class AuditSettingsResolver {
  @Query(() => AuditSettings, { description: 'Retention and alert webhook of the organisation audit log' })
  auditSettings(@Ctx() ctx: AuditContext) {
    return getSettings(ctx);
  }

  @Mutation(() => AuditSettings, { description: 'Sets how long events are kept (at least 3 years); recorded in the log' })
  setAuditRetention(@Ctx() ctx: AuditContext, @Arg('days', () => Int) days: number) {
    return setRetention(ctx, days);
  }

  @Mutation(() => AuditWebhook, { description: 'Sets the webhook alerts are delivered to, signed with HMAC-SHA256; recorded in the log' })
  configureAuditWebhook(@Ctx() ctx: AuditContext, @Arg('input', () => AuditWebhookInput) input: AuditWebhookInput) {
    return configureWebhook(ctx, input);
  }
}
