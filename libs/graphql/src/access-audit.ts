// Durable read audit (AU-1, issue 8): every operation a subgraph answers for a
// caller in an organisation leaves one access event in that subgraph's outbox,
// committed before the answer leaves the subgraph (Apollo awaits willSendResponse
// before it hands the response to the HTTP front), in the request's own read
// transaction when it has one. The gateway only answers once
// every subgraph it asked has answered, so an answer a caller received always has
// its access events on disk; the outbox relays deliver them in batches into the
// organisation's chain (on their interval: reads do not kick the relay). If the
// event cannot be written, the data is withheld.
//
// One event per operation per subgraph (not per field): a client operation that
// spans two subgraphs leaves two events sharing its request id; the client's
// operation name, type, document hash and top-level fields come from the signed
// request context (the gateway describes the operation there).
//
// Recorded: query operations; mutations only when they ended in an error (a
// mutation that succeeded wrote its own event in its own transaction, and a
// refused one its access.denied). Not recorded: anonymous callers and callers
// without an organisation (there is no organisation chain to hold the event, and
// they can reach only public data and their own profile), and operations that
// never ran (parse or validation errors: nothing was served).
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { Kind, OperationTypeNode, type SelectionSetNode } from 'graphql';
import { appendAuditEvent, buildEvent, writeAuditEvent, type AuditEvent, type AuditOutcome } from '@packets/audit-log';
import type { RequestContext } from './request-context';

/** The action of a read's access event (the audit subgraph's read-spike rule counts these). */
export const READ_EVENT_ACTION = 'graphql.query';

const DENIED_CODES = new Set(['FORBIDDEN', 'UNAUTHENTICATED']);
const UUID_G = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const MAX_IDS = 20;
const MAX_FIELDS = 50;
/** the gateway names query-plan fetches `<client operation>__<subgraph>__<n>` */
const PLAN_NAME = /^(.+)__[A-Za-z0-9_]+?__\d+$/;

function rootFields(selectionSet: SelectionSetNode | undefined, out = new Set<string>()): Set<string> {
  for (const s of selectionSet?.selections ?? []) {
    if (out.size >= MAX_FIELDS) break;
    if (s.kind === Kind.FIELD) out.add(s.name.value);
    else if (s.kind === Kind.INLINE_FRAGMENT) rootFields(s.selectionSet, out);
  }
  return out;
}

/** Entity types of an `_entities` fetch (the federated references this subgraph resolved). */
function entityTypes(variables: Record<string, unknown> | undefined): string[] {
  const reps = variables?.representations;
  if (!Array.isArray(reps)) return [];
  return [...new Set(reps.map((r) => (r as { __typename?: unknown }).__typename).filter((t): t is string => typeof t === 'string'))];
}

/**
 * Ends every request the subgraph answers: the request's shared read transaction
 * (request-tx.ts) commits here, with the access event written in it just before;
 * without an open transaction the event takes its own one-statement append.
 */
export function accessAuditPlugin(): ApolloServerPlugin<RequestContext<unknown>> {
  return {
    requestDidStart: () => {
      const started = performance.now();
      return Promise.resolve({
        willSendResponse: async (rc: GraphQLRequestContextWillSendResponse<RequestContext<unknown>>) => {
          await endRequest(rc, performance.now() - started);
        },
      });
    },
  };
}

async function endRequest(rc: GraphQLRequestContextWillSendResponse<RequestContext<unknown>>, durationMs: number): Promise<void> {
  const ctx = rc.contextValue;
  const { name } = ctx.runtime;
  let event: AuditEvent | null = null;
  try {
    event = accessEvent(rc, durationMs);
    const record = event;
    const written = await ctx.endRequest(record ? (em) => writeAuditEvent(em, name, record) : undefined);
    if (record && !written) await appendAuditEvent(ctx.runtime.orm.em.fork(), name, record);
  } catch (err) {
    // the transaction ends whatever failed (a no-op when it has ended)
    await ctx.endRequest().catch(() => undefined);
    // no record (or no commit), no data: the answer becomes an error
    console.error(`audit: request ${ctx.meta.requestId} could not ${event ? 'record its access event' : 'commit'}: ${(err as Error).message}`);
    if (rc.response.body.kind !== 'single') return;
    const result = rc.response.body.singleResult;
    result.data = null;
    result.errors = [{
      message: event ? 'The access could not be recorded; try again' : 'The request could not be completed; try again',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    }];
  }
  // no relay kick: a read's event is durable already and travels with the next
  // delivery (the relay's interval, or the next mutation's kick), in a larger batch
}

/** The access event of an answered operation, or null when none is recorded (see the top of this file). */
function accessEvent(rc: GraphQLRequestContextWillSendResponse<RequestContext<unknown>>, durationMs: number): AuditEvent | null {
  const ctx = rc.contextValue;
  const orgId = ctx.actor.orgId;
  const type = rc.operation?.operation;
  if (!orgId || ctx.actor.kind === 'anonymous' || !type || rc.response.body.kind !== 'single') return null;
  const result = rc.response.body.singleResult;
  const errors = result.errors ?? [];
  if (type !== OperationTypeNode.QUERY && errors.length === 0) return null;
  const errorCodes = [...new Set(errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL_SERVER_ERROR')))];
  const outcome: AuditOutcome = errorCodes.some((c) => DENIED_CODES.has(c)) ? 'denied' : errorCodes.length > 0 ? 'failure' : 'success';
  const ids = new Set<string>();
  for (const m of `${rc.request.query ?? ''}\n${JSON.stringify(rc.request.variables ?? {})}`.matchAll(UUID_G)) {
    if (ids.size >= MAX_IDS) break;
    ids.add(m[0].toLowerCase());
  }
  const client = ctx.meta.operation;
  const fetchName = rc.operationName ?? rc.request.operationName ?? null;
  const operationName = client ? client.name : (fetchName && PLAN_NAME.exec(fetchName)?.[1]) ?? fetchName;
  const served = [...rootFields(rc.operation?.selectionSet)];
  return buildEvent(ctx.runtime.name, ctx.actor, ctx.meta, {
    action: `graphql.${type}`,
    subjectType: 'Operation',
    subjectId: operationName ?? undefined,
    outcome,
    data: {
      operationName,
      operationType: client?.type ?? type,
      documentSha256: client?.documentSha256 ?? null,
      fields: client?.fields ?? served,
      // what this subgraph served of it
      served,
      entities: entityTypes(rc.request.variables),
      durationMs: Math.round(durationMs * 10) / 10,
      errorCodes,
      ids: [...ids],
    },
  });
}
