// An organisation's AI settings, batched: the aiSettings query and Organization.aiSettings.
import DataLoader from 'dataloader';
import type { RequestContext } from '@packets/graphql';
import { AiSettingsEntity } from './settings.entity';

export interface SettingsLoaders {
  settingsByOrg: DataLoader<string, AiSettingsEntity | null>;
}

export function settingsLoaders(ctx: RequestContext): SettingsLoaders {
  return {
    settingsByOrg: new DataLoader(async (orgIds) => {
      const rows = await ctx.tx((em) => em.find(AiSettingsEntity, { orgId: { $in: [...orgIds] } }));
      const map = new Map(rows.map((r) => [r.orgId, r]));
      return orgIds.map((id) => map.get(id) ?? null);
    }),
  };
}
