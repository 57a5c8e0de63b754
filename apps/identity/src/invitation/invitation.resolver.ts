import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Invitation } from './invitation.type';
import { AcceptInvitationInput, InviteMemberInput } from './invitation.inputs';
import { acceptInvitation, inviteMember, listInvitations, revokeInvitation } from './invitation.service';
import { AuthPayload } from '../auth/auth.types';
import type { IdentityContext } from '../identity.context';

@Resolver(() => Invitation)
export class InvitationResolver {
  @Query(() => [Invitation], { description: 'Invitations that can still be accepted, newest first' })
  invitations(@Ctx() ctx: IdentityContext): Promise<Invitation[]> {
    return listInvitations(ctx);
  }

  @Mutation(() => Invitation, { description: 'Mails a single-use invitation (7 days) to join this organisation' })
  inviteMember(@Arg('input', () => InviteMemberInput) input: InviteMemberInput, @Ctx() ctx: IdentityContext): Promise<Invitation> {
    return inviteMember(ctx, input);
  }

  @Mutation(() => AuthPayload, { description: 'Public: joins with the mailed token, creating the account if needed' })
  acceptInvitation(@Arg('input', () => AcceptInvitationInput) input: AcceptInvitationInput, @Ctx() ctx: IdentityContext): Promise<AuthPayload> {
    return acceptInvitation(ctx, input);
  }

  @Mutation(() => Boolean, { description: 'Revokes an open invitation: its token stops working at once' })
  revokeInvitation(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<boolean> {
    return revokeInvitation(ctx, id);
  }
}
