// Per-request DataLoaders: every reference and relation resolves through these,
// one SQL statement per batch whatever the size of the list.
import DataLoader from 'dataloader';
import type { RequestContext } from '@packets/graphql';
import { OrganizationEntity } from './organization/organization.entity';
import { UserEntity } from './user/user.entity';
import { MembershipRoleEntity, RoleEntity } from './membership/membership.entity';
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
    roleById: new DataLoader(async (ids) =>
      byId(ids, await ctx.tx((em) => em.find(RoleEntity, { id: { $in: [...ids] } }))),
    ),
    rolesByMembership: new DataLoader(async (membershipIds) => {
      const { links, roles } = await ctx.tx(async (em) => {
        const links = await em.find(MembershipRoleEntity, { membershipId: { $in: [...membershipIds] } });
        const roles = links.length ? await em.find(RoleEntity, { id: { $in: [...new Set(links.map((l) => l.roleId))] } }, { orderBy: { name: 'asc' } }) : [];
        return { links, roles };
      });
      const byRole = new Map(roles.map((r) => [r.id, r]));
      return membershipIds.map((mid) => links.filter((l) => l.membershipId === mid).map((l) => byRole.get(l.roleId)).filter((r): r is RoleEntity => !!r));
    }),
  };
}
