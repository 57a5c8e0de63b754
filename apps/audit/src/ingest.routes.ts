// The ingestion endpoint the subgraphs' outbox relays post to (the auditIngest
// protocol of @packets/context), bound to the signer: each event must name the
// service whose key signed the call as its source, so no subgraph can write events
// as another (docs/decisions/0009-key-map.md). Appends to each organisation's chain.
import { auditIngest, serviceRoute, type ServiceKeys } from '@packets/context';
import { invalidEventReason, type AuditEvent } from '@packets/audit-log';
import { restError, type Route } from '@packets/graphql';
import { appendEvents } from './chain/chain.append';
import type { AuditRuntime } from './audit.context';

export function ingestRoutes(runtime: AuditRuntime, senders: ServiceKeys): Record<string, Route> {
  return serviceRoute(auditIngest, senders, async ({ events }, { caller }) => {
    for (const [i, e] of events.entries()) {
      const reason = invalidEventReason(e);
      if (reason) return restError(400, 'BAD_USER_INPUT', `event ${i}: invalid ${reason}`);
      // the whole batch is refused: a relay never mixes sources, so a mixed batch is a forgery
      if (e.source !== caller) return restError(403, 'FORBIDDEN', `event ${i}: source ${String(e.source)} is not the signer (${caller})`);
    }
    const inserted = await appendEvents(runtime, events as unknown as AuditEvent[]);
    return { status: 200, json: { received: events.length, inserted } };
  });
}
