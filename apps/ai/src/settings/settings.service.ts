import { can } from '@packets/authz';
import { notFound } from '@packets/graphql';
import { toAiSettings, type AiSettings } from './settings.type';
import type { AiContext } from '../ai.context';

/** Organization.aiSettings: null when the caller may not read it (an anonymous sign-up response, a role without AiSettings). */
export async function aiSettingsOf(ctx: AiContext, orgId: string): Promise<AiSettings | null> {
  if (!ctx.isAuthenticated || !can(ctx.ability, 'read', 'AiSettings')) return null;
  return getAiSettings(ctx, orgId);
}

export async function getAiSettings(ctx: AiContext, orgId: string = ctx.orgId): Promise<AiSettings> {
  ctx.authorize('read', 'AiSettings');
  // Only the caller's own organisation exists from here.
  if (orgId !== ctx.orgId) throw notFound('Organization');
  return toAiSettings(await ctx.loaders.settingsByOrg.load(orgId));
}
