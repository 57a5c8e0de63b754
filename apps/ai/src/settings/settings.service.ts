import { notFound, type RequestContext } from '@packets/graphql';
import { toAiSettings, type AiSettings } from './settings.type';
import type { AiLoaders } from '../ai.context';

export async function getAiSettings(ctx: RequestContext<AiLoaders>, orgId: string = ctx.orgId): Promise<AiSettings> {
  ctx.authorize('read', 'AiSettings');
  // Only the caller's own organisation exists from here.
  if (orgId !== ctx.orgId) throw notFound('Organization');
  return toAiSettings(await ctx.loaders.settingsByOrg.load(orgId));
}
