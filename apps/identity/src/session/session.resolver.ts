import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Session, toSession } from './session.type';
import { listSessions, revokeSession } from './sessions.service';
import type { IdentityContext } from '../identity.context';

@Resolver()
export class SessionResolver {
  @Query(() => [Session], { description: 'Your active sessions; admins may pass another member' })
  async sessions(@Ctx() ctx: IdentityContext, @Arg('userId', () => ID, { nullable: true }) userId?: string): Promise<Session[]> {
    return (await listSessions(ctx, userId)).map((s) => toSession(s.session, ctx.actor.sessionId, s.expiresAt));
  }

  @Mutation(() => Boolean, { description: 'Ends a session: it fails on its very next request' })
  revokeSession(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<boolean> {
    return revokeSession(ctx, id);
  }
}
