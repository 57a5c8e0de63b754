import DataLoader from 'dataloader';
import type { RequestContext } from '@packets/graphql';
import { AiSettingsEntity } from './settings/settings.entity';
import type { AiLoaders } from './ai.context';

export function aiLoaders(ctx: RequestContext<AiLoaders>): AiLoaders {
  return {
    settingsByOrg: new DataLoader(async (orgIds) => {
      const rows = await ctx.tx((em) => em.find(AiSettingsEntity, { orgId: { $in: [...orgIds] } }));
      const map = new Map(rows.map((r) => [r.orgId, r]));
      return orgIds.map((id) => map.get(id) ?? null);
    }),
  };
}
