import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { UserRef } from '@packets/graphql';
import type { AuditContext } from '../audit.context';
import { AuditAlert, AuditAlertConnection, AuditAlertFilter } from './alert.type';
import { acknowledgeAlert, listAlerts } from './alert.service';

@Resolver(() => AuditAlert)
export class AuditAlertResolver {
  @Query(() => AuditAlertConnection, { description: 'Alerts raised on the audit log, newest first' })
  auditAlerts(
    @Ctx() ctx: AuditContext,
    @Arg('filter', () => AuditAlertFilter, { nullable: true }) filter?: AuditAlertFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return listAlerts(ctx, filter, first, after);
  }

  @Mutation(() => AuditAlert, { description: 'Marks an alert as seen; recorded in the audit log' })
  acknowledgeAuditAlert(@Ctx() ctx: AuditContext, @Arg('id', () => ID) id: string) {
    return acknowledgeAlert(ctx, id);
  }

  @FieldResolver(() => UserRef, { nullable: true, description: 'The actor whose activity raised the alert' })
  actor(@Root() alert: AuditAlert): UserRef | null {
    return alert.actorId ? { id: alert.actorId } : null;
  }
}
