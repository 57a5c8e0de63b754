// A membership's roles, batched: Membership.roles of a whole page of members in two statements.
import DataLoader from 'dataloader';
import type { RequestContext } from '@packets/graphql';
import { MembershipRoleEntity } from './membership.entity';
import { RoleEntity } from '../role/role.entity';
import { toRole, type Role } from '../role/role.type';

export interface MembershipLoaders {
  /** by membership id */
  rolesByMembership: DataLoader<string, Role[]>;
}

export function membershipLoaders(ctx: RequestContext): MembershipLoaders {
  return {
    rolesByMembership: new DataLoader(async (membershipIds) => {
      const { links, roles } = await ctx.tx(async (em) => {
        const links = await em.find(MembershipRoleEntity, { membershipId: { $in: [...membershipIds] } });
        const roles = links.length ? await em.find(RoleEntity, { id: { $in: [...new Set(links.map((l) => l.roleId))] } }, { orderBy: { name: 'asc' } }) : [];
        return { links, roles };
      });
      const byRole = new Map(roles.map((r) => [r.id, toRole(r)]));
      return membershipIds.map((mid) => links.filter((l) => l.membershipId === mid).map((l) => byRole.get(l.roleId)).filter((r): r is Role => !!r));
    }),
  };
}
