// Users by id, batched: federation references and Membership.user.
import DataLoader from 'dataloader';
import type { RequestContext } from '@packets/graphql';
import { UserEntity } from './user.entity';
import { toUser, type User } from './user.type';

export interface UserLoaders {
  /** users that are members of the actor's org; others resolve to null */
  userById: DataLoader<string, User | null>;
}

export function userLoaders(ctx: RequestContext): UserLoaders {
  return {
    userById: new DataLoader(async (ids) => {
      const rows = await ctx.tx((em) =>
        // RLS on users shows only members of the current org; the join says so explicitly too.
        em.createQueryBuilder(UserEntity, 'u')
          .select(['u.id', 'u.email', 'u.name', 'u.createdAt'])
          .where({ id: { $in: [...ids] } })
          .andWhere(`exists (select 1 from identity.memberships m where m.user_id = u.id and m.org_id = ?)`, [ctx.orgId])
          .getResultList());
      const byId = new Map(rows.map((u) => [u.id, toUser(u)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
