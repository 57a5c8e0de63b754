import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Session } from './session.type';
import { listSessions, revokeSession } from './session.service';
import type { IdentityContext } from '../identity.context';

@Resolver()
export class SessionResolver {
  @Query(() => [Session], { description: 'Your active sessions; admins may pass another member' })
  sessions(@Ctx() ctx: IdentityContext, @Arg('userId', () => ID, { nullable: true }) userId?: string): Promise<Session[]> {
    return listSessions(ctx, userId);
  }

  @Mutation(() => Boolean, { description: 'Ends a session: it fails on its very next request' })
  revokeSession(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<boolean> {
    return revokeSession(ctx, id);
  }
}
