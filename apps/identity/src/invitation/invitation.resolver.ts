import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Invitation, toInvitation } from './invitation.type';
import { listInvitations, revokeInvitation } from './invitation.service';
import type { IdentityContext } from '../identity.context';

@Resolver(() => Invitation)
export class InvitationResolver {
  @Query(() => [Invitation], { description: 'Invitations that can still be accepted, newest first' })
  async invitations(@Ctx() ctx: IdentityContext): Promise<Invitation[]> {
    return (await listInvitations(ctx)).map((i) => toInvitation(i.invitation, i.roles));
  }

  @Mutation(() => Boolean, { description: 'Revokes an open invitation: its token stops working at once' })
  revokeInvitation(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<boolean> {
    return revokeInvitation(ctx, id);
  }
}
