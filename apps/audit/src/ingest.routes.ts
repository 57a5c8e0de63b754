// The ingestion endpoint the subgraphs' outbox relays post to. Service-signed,
// body-bound, and bound to the signer: each event must name the service whose key
// signed the call as its source, so no subgraph can write events as another
// (docs/decisions/0009-key-map.md). Appends to each organisation's chain.
import type { IncomingMessage } from 'node:http';
import { SERVICE_HEADER, verifyServiceCall, type ServiceKeys } from '@packets/context';
import { AUDIT_INGEST_AUDIENCE, AUDIT_INGEST_PATH, invalidEventReason, type AuditEvent } from '@packets/audit-log';
import type { Route } from '@packets/graphql';
import { appendEvents } from './chain/chain.append';
import type { AuditRuntime } from './audit.context';

const MAX_EVENTS = 1000;

export function ingestRoutes(runtime: AuditRuntime, senders: ServiceKeys): Record<string, Route> {
  return {
    [`POST ${AUDIT_INGEST_PATH}`]: async (req: IncomingMessage, body: string) => {
      const h = req.headers[SERVICE_HEADER];
      let signer: string;
      try {
        signer = (await verifyServiceCall(Array.isArray(h) ? h[0] : h, AUDIT_INGEST_AUDIENCE, body, senders)).service;
      } catch {
        return { status: 401, json: { error: 'unauthorised' } };
      }
      let events: AuditEvent[];
      try {
        events = (JSON.parse(body) as { events: AuditEvent[] }).events;
      } catch {
        return { status: 400, json: { error: 'body must be JSON { events: [...] }' } };
      }
      if (!Array.isArray(events) || events.length > MAX_EVENTS) return { status: 400, json: { error: `1..${MAX_EVENTS} events` } };
      for (const [i, e] of events.entries()) {
        const reason = invalidEventReason(e);
        if (reason) return { status: 400, json: { error: `event ${i}: invalid ${reason}` } };
        // the whole batch is refused: a relay never mixes sources, so a mixed batch is a forgery
        if (e.source !== signer) return { status: 403, json: { error: `event ${i}: source ${e.source} is not the signer (${signer})` } };
      }
      const inserted = await appendEvents(runtime, events);
      return { status: 200, json: { received: events.length, inserted } };
    },
  };
}
