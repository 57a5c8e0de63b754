import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { notFound } from '@packets/graphql';
import { Membership, MembershipConnection } from './membership.type';
import { assignRoles, listMembers, removeMember } from './membership.service';
import { Role } from '../role/role.type';
import { User } from '../user/user.type';
import type { IdentityContext } from '../identity.context';

@Resolver(() => Membership)
export class MembershipResolver {
  @Query(() => MembershipConnection)
  members(
    @Ctx() ctx: IdentityContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return listMembers(ctx, first, after);
  }

  @FieldResolver(() => User)
  async user(@Root() m: Membership, @Ctx() ctx: IdentityContext): Promise<User> {
    const user = await ctx.loaders.userById.load(m.userId);
    if (!user) throw notFound('User');
    return user;
  }

  @FieldResolver(() => [Role])
  roles(@Root() m: Membership, @Ctx() ctx: IdentityContext): Promise<Role[]> {
    return ctx.loaders.rolesByMembership.load(m.id);
  }

  @Mutation(() => Boolean, { description: "Off-boards a member: ends their membership, sessions and API keys at once, and revokes the invitations they sent" })
  removeMember(@Arg('userId', () => ID) userId: string, @Ctx() ctx: IdentityContext): Promise<boolean> {
    return removeMember(ctx, userId);
  }

  @Mutation(() => Membership)
  assignRoles(
    @Arg('userId', () => ID) userId: string, @Arg('roleIds', () => [ID]) roleIds: string[], @Ctx() ctx: IdentityContext,
  ): Promise<Membership> {
    return assignRoles(ctx, userId, roleIds);
  }
}
