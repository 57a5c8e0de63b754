import { can } from '@packets/authz';
import type { User } from './user.type';
import type { IdentityContext } from '../identity.context';

/** Another subgraph named a User (a control's owner...): members of the caller's org only. */
export const userReference = {
  async __resolveReference(ref: { id: string }, ctx: IdentityContext): Promise<User | null> {
    if (!ctx.isAuthenticated) return null;
    const user = await ctx.loaders.userById.load(ref.id);
    return user && can(ctx.ability, 'read', 'User', { id: user.id }) ? user : null;
  },
};
