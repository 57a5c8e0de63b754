// Per-request DataLoaders: every reference and relation resolves through these,
// one SQL statement per batch whatever the size of the list.
import DataLoader from 'dataloader';
import type { RequestContext } from '@packets/graphql';
import { OrganizationEntity } from './organization/organization.entity';
import { UserEntity } from './user/user.entity';
import type { IdentityLoaders } from './identity.context';

function byId<T extends { id: string }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}

export function identityLoaders(ctx: RequestContext<IdentityLoaders>): IdentityLoaders {
  return {
    userById: new DataLoader(async (ids) =>
      byId(ids, await ctx.tx((em) =>
        // RLS on users shows only members of the current org; the join says so explicitly too.
        em.createQueryBuilder(UserEntity, 'u')
          .select(['u.id', 'u.email', 'u.name', 'u.createdAt'])
          .where({ id: { $in: [...ids] } })
          .andWhere(`exists (select 1 from identity.memberships m where m.user_id = u.id and m.org_id = ?)`, [ctx.orgId])
          .getResultList(),
      )),
    ),
    organizationById: new DataLoader(async (ids) =>
      byId(ids, await ctx.tx((em) => em.find(OrganizationEntity, { id: { $in: [...ids] } }))),
    ),
  };
}
