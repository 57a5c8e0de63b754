// Writing an audit event = one insert into the calling subgraph's own outbox table,
// inside the caller's transaction: the change and its event commit or vanish together.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor, RequestMeta } from '@packets/context';
import { APP_ROLE, tenantPolicySql } from '@packets/db';
import { redact, type AuditEvent, type AuditOutcome } from './event';

export interface AuditEntry {
  action: string;
  subjectType?: string;
  subjectId?: string;
  outcome?: AuditOutcome;
  data?: Record<string, unknown>;
  /** for events where the org is not the actor's yet (sign-up) */
  orgId?: string;
  /** for events whose actor is not yet in the context (sign-in, sign-up) */
  actorId?: string;
}

export function buildEvent(source: string, actor: Actor, meta: RequestMeta, entry: AuditEntry): AuditEvent {
  const orgId = entry.orgId ?? actor.orgId;
  if (!orgId) throw new Error(`audit event ${entry.action} has no organisation`);
  const actorId = entry.actorId ?? (actor.kind === 'apiKey' ? actor.apiKeyId : actor.userId);
  return {
    id: randomUUID(),
    orgId,
    occurredAt: new Date().toISOString(),
    actorType: entry.actorId ? 'user' : actor.kind,
    actorId: actorId ?? null,
    sessionId: actor.sessionId,
    apiKeyId: actor.apiKeyId,
    action: entry.action,
    subjectType: entry.subjectType ?? null,
    subjectId: entry.subjectId ?? null,
    outcome: entry.outcome ?? 'success',
    requestId: meta.requestId,
    ip: meta.ip,
    userAgent: meta.userAgent,
    data: redact(entry.data ?? {}),
    source,
  };
}

/**
 * Benchmark switch: `npm run bench:audit` measures a mutation with and without its
 * outbox write. Nothing else may turn audit writing off; it is on unless a
 * benchmark process calls this (there is deliberately no environment variable).
 */
export const auditWrites = { enabled: true };

/** Must be called with the transaction's EntityManager (see tenantTx). */
export async function writeAuditEvent(em: EntityManager, schema: string, event: AuditEvent): Promise<void> {
  if (!auditWrites.enabled) return;
  await em.execute(`insert into "${schema}".audit_outbox (id, org_id, payload) values (?, ?, ?)`, [
    event.id, event.orgId, JSON.stringify(event),
  ]);
}

/**
 * One event in its own tenant transaction, in one round trip: `outbox_append`
 * sets the event's org for the statement's transaction and inserts under
 * row-level security. The access event of a read takes this path when the
 * request opened no transaction (otherwise it is written in the request's own
 * read transaction, just before its commit); it commits before it returns. Must
 * not be called inside another transaction (it would change that one's org).
 */
export async function appendAuditEvent(em: EntityManager, schema: string, event: AuditEvent): Promise<void> {
  if (!auditWrites.enabled) return;
  await em.execute(`select "${schema}".outbox_append(?, ?, ?)`, [event.id, event.orgId, JSON.stringify(event)]);
}

/**
 * The outbox table and the two SECURITY DEFINER functions the relay uses to read
 * and clear it across organisations. The table is tenant-scoped like any other;
 * only these functions, running as the owner role, see every org's rows.
 */
export function outboxMigrationSql(schema: string): string[] {
  const appRole = APP_ROLE;
  const t = `"${schema}".audit_outbox`;
  return [
    `create table ${t} (
      id uuid primary key,
      org_id uuid not null,
      payload jsonb not null,
      created_at timestamptz not null default now(),
      attempts int not null default 0
    )`,
    `create index audit_outbox_created_idx on ${t} (created_at)`,
    ...tenantPolicySql(t),
    `grant insert on ${t} to ${appRole}`,
    `create function "${schema}".outbox_pending(max_rows int) returns table (id uuid, payload jsonb)
      language sql security definer set search_path = pg_catalog as $$
        update ${t} o set attempts = o.attempts + 1
        where o.id in (select p.id from ${t} p order by p.created_at limit max_rows for update skip locked)
        returning o.id, o.payload
      $$`,
    `create function "${schema}".outbox_delivered(ids uuid[]) returns void
      language sql security definer set search_path = pg_catalog as $$ delete from ${t} where id = any(ids) $$`,
    `revoke all on function "${schema}".outbox_pending(int) from public`,
    `revoke all on function "${schema}".outbox_delivered(uuid[]) from public`,
    `grant execute on function "${schema}".outbox_pending(int) to ${appRole}`,
    `grant execute on function "${schema}".outbox_delivered(uuid[]) to ${appRole}`,
  ];
}

/**
 * Outbox claims (issue 8, finding 7) and the one-statement append for access events.
 *
 * `outbox_pending` marks the rows it hands out with the calling transaction's id;
 * `outbox_delivered` deletes only rows of the given ids that this very transaction
 * claimed, and returns how many. The relay reads, posts and deletes in one
 * transaction, so the delete reaches exactly the rows it has just read and had
 * stored by the audit subgraph: a caller cannot clear rows it never read, nor rows
 * another relay is delivering (they are locked and claimed by that transaction).
 * The app role has no DELETE (nor SELECT, UPDATE) on the outbox; only INSERT under
 * row-level security and these functions.
 */
export function outboxClaimsMigrationSql(schema: string): string[] {
  const appRole = APP_ROLE;
  const t = `"${schema}".audit_outbox`;
  const f = (name: string) => `"${schema}".${name}`;
  return [
    `alter table ${t} add column claimed_by xid8`,
    `revoke all on ${t} from ${appRole}`,
    `grant insert on ${t} to ${appRole}`,
    `create or replace function ${f('outbox_pending')}(max_rows int) returns table (id uuid, payload jsonb)
      language sql security definer set search_path = pg_catalog as $$
        update ${t} o set attempts = o.attempts + 1, claimed_by = pg_current_xact_id()
        where o.id in (select p.id from ${t} p order by p.created_at limit max_rows for update skip locked)
        returning o.id, o.payload
      $$`,
    `drop function ${f('outbox_delivered')}(uuid[])`,
    `create function ${f('outbox_delivered')}(ids uuid[]) returns int
      language sql security definer set search_path = pg_catalog as $$
        with gone as (delete from ${t} where id = any(ids) and claimed_by = pg_current_xact_id() returning 1)
        select count(*)::int from gone
      $$`,
    `create function ${f('outbox_append')}(event_id uuid, event_org uuid, event_payload jsonb) returns void
      language plpgsql security invoker set search_path = pg_catalog as $$
      begin
        perform set_config('app.org_id', event_org::text, true);
        insert into ${t} (id, org_id, payload) values (event_id, event_org, event_payload);
      end
      $$`,
    `revoke all on function ${f('outbox_delivered')}(uuid[]) from public`,
    `revoke all on function ${f('outbox_append')}(uuid, uuid, jsonb) from public`,
    `grant execute on function ${f('outbox_delivered')}(uuid[]) to ${appRole}`,
    `grant execute on function ${f('outbox_append')}(uuid, uuid, jsonb) to ${appRole}`,
  ];
}
