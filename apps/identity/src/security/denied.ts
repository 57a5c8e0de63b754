// Refusals worth a record under the operation's own name (escalation attempts):
// recorded once through the request context, in their own transaction, since the
// refused operation writes nothing.
import { GraphQLError } from 'graphql';
import type { AuditEntry } from '@packets/audit-log';
import type { IdentityContext } from '../identity.context';

export function auditedRefusal<T>(ctx: IdentityContext, entry: AuditEntry, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof GraphQLError && err.extensions.code === 'FORBIDDEN') throw ctx.recordDenied(err, entry);
    throw err;
  }
}
