import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { notFound } from '@packets/graphql';
import { AcceptInvitationInput, Invitation, InviteMemberInput, Membership, MembershipConnection } from './membership.type';
import { acceptInvitation, assignRoles, inviteMember, listMembers, removeMember } from './members.service';
import { Role, toRole } from './role.type';
import { toInvitation } from '../invitation/invitation.type';
import { User, toUser } from '../user/user.type';
import { AuthPayload } from '../auth/auth.types';
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
    return toUser(user);
  }

  @FieldResolver(() => [Role])
  async roles(@Root() m: Membership, @Ctx() ctx: IdentityContext): Promise<Role[]> {
    return (await ctx.loaders.rolesByMembership.load(m.id)).map(toRole);
  }

  @Mutation(() => Invitation, { description: 'Mails a single-use invitation (7 days) to join this organisation' })
  async inviteMember(@Arg('input', () => InviteMemberInput) input: InviteMemberInput, @Ctx() ctx: IdentityContext): Promise<Invitation> {
    const { invitation, roles } = await inviteMember(ctx, input);
    return toInvitation(invitation, roles);
  }

  @Mutation(() => AuthPayload, { description: 'Public: joins with the mailed token, creating the account if needed' })
  acceptInvitation(@Arg('input', () => AcceptInvitationInput) input: AcceptInvitationInput, @Ctx() ctx: IdentityContext): Promise<AuthPayload> {
    return acceptInvitation(ctx, input);
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
