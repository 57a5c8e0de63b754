// Organisations by id, batched: the organization query, the viewer and federation references.
import DataLoader from 'dataloader';
import type { RequestContext } from '@packets/graphql';
import { OrganizationEntity } from './organization.entity';
import { toOrganization, type Organization } from './organization.type';

export interface OrganizationLoaders {
  organizationById: DataLoader<string, Organization | null>;
}

export function organizationLoaders(ctx: RequestContext): OrganizationLoaders {
  return {
    organizationById: new DataLoader(async (ids) => {
      const rows = await ctx.tx((em) => em.find(OrganizationEntity, { id: { $in: [...ids] } }));
      const byId = new Map(rows.map((o) => [o.id, toOrganization(o)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
