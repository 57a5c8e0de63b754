import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { AuditContext } from '../audit.context';
import { AuditEvent, AuditEventConnection, AuditFilter } from './event.type';
import { listEvents } from './event.service';
import { UserRef } from '@packets/graphql';

@Resolver(() => AuditEvent)
export class AuditEventResolver {
  @Query(() => AuditEventConnection, { description: 'The organisation audit log, newest first' })
  auditEvents(
    @Ctx() ctx: AuditContext,
    @Arg('filter', () => AuditFilter, { nullable: true }) filter?: AuditFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return listEvents(ctx, filter, first, after);
  }

  @FieldResolver(() => UserRef, { nullable: true, description: 'The acting user, when the actor is a user' })
  actor(@Root() event: AuditEvent): UserRef | null {
    return event.actorType === 'user' && event.actorId ? { id: event.actorId } : null;
  }
}
