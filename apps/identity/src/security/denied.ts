// Refusals worth a record of their own (escalation attempts): the event is written
// in its own transaction, since the refused operation writes nothing.
import type { GraphQLError } from 'graphql';
import { buildEvent, writeAuditEvent, type AuditEntry } from '@packets/audit-log';
import { tenantTx } from '@packets/db';
import type { IdentityContext } from '../identity.context';

export async function auditedRefusal<T>(ctx: IdentityContext, entry: AuditEntry, check: () => T): Promise<T> {
  try {
    return check();
  } catch (err) {
    const code = (err as GraphQLError).extensions?.code;
    if (code === 'FORBIDDEN' && ctx.actor.orgId) {
      const orgId = ctx.actor.orgId;
      await tenantTx(ctx.em, orgId, (em) => writeAuditEvent(em, ctx.runtime.name, buildEvent(ctx.runtime.name, ctx.actor, ctx.meta, {
        ...entry, orgId, outcome: 'denied', data: { ...entry.data, reason: (err as Error).message },
      })));
      ctx.runtime.relay?.kick();
    }
    throw err;
  }
}
