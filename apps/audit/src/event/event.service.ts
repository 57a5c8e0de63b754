// Reading and appending the audit log. Appends are idempotent by event id, so the
// relays' at-least-once delivery never doubles an event.
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { accessibleFilter } from '@packets/authz';
import { tenantTx } from '@packets/db';
import { decodeCursor, pageSize, toConnection, validate, type ConnectionShape, type RequestContext } from '@packets/graphql';
import type { AuditEvent as WireEvent } from '@packets/audit-log';
import { AuditEventEntity } from './event.entity';
import { toAuditEvent, type AuditEvent, type AuditFilter } from './event.type';

export async function listEvents(
  ctx: RequestContext, filter: AuditFilter | null | undefined, first: number | null | undefined, after: string | null | undefined,
): Promise<ConnectionShape<AuditEvent>> {
  ctx.authorize('read', 'AuditEvent');
  const size = pageSize(first, 50);
  const cursor = decodeCursor(after);
  const allowed = accessibleFilter(ctx.ability, 'read', 'AuditEvent');
  const cursorOf = (e: AuditEventEntity) => ({ createdAt: e.occurredAt, id: e.id });
  if (!allowed) return toConnection([], size, toAuditEvent, cursorOf);
  const where: FilterQuery<AuditEventEntity>[] = [allowed];
  if (filter?.actorId) where.push({ actorId: validate.isUuid(filter.actorId) ? filter.actorId : null });
  if (filter?.action) where.push({ action: filter.action });
  if (filter?.subjectType) where.push({ subjectType: filter.subjectType });
  if (filter?.subjectId) where.push({ subjectId: filter.subjectId });
  if (filter?.outcome) where.push({ outcome: filter.outcome });
  if (filter?.from) where.push({ occurredAt: { $gte: filter.from } });
  if (filter?.to) where.push({ occurredAt: { $lt: filter.to } });
  if (cursor) {
    where.push({ $or: [{ occurredAt: { $lt: cursor.createdAt } }, { occurredAt: cursor.createdAt, id: { $lt: cursor.id } }] });
  }
  const rows = await ctx.tx((em) =>
    em.find(AuditEventEntity, { $and: where }, { orderBy: { occurredAt: 'desc', id: 'desc' }, limit: size + 1 }),
  );
  return toConnection(rows, size, toAuditEvent, cursorOf);
}

/** Appends events, each org in its own tenant transaction. Returns how many were new. */
export async function appendEvents(em: EntityManager, events: WireEvent[]): Promise<number> {
  const byOrg = new Map<string, WireEvent[]>();
  for (const e of events) byOrg.set(e.orgId, [...(byOrg.get(e.orgId) ?? []), e]);
  let inserted = 0;
  for (const [orgId, list] of byOrg) {
    inserted += await tenantTx(em, orgId, async (tem) => {
      let n = 0;
      for (const e of list) {
        const res = await tem.execute<{ id: string }[]>(
          `insert into audit.events (id, org_id, occurred_at, received_at, actor_type, actor_id, session_id, api_key_id, action,
             subject_type, subject_id, outcome, request_id, ip, user_agent, data, source)
           values (?, ?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           on conflict (id) do nothing returning id`,
          [e.id, e.orgId, e.occurredAt, e.actorType, e.actorId, e.sessionId, e.apiKeyId, e.action, e.subjectType,
            e.subjectId, e.outcome, e.requestId, e.ip, e.userAgent?.slice(0, 500) ?? null, JSON.stringify(e.data), e.source],
        );
        n += res.length;
      }
      return n;
    });
  }
  return inserted;
}
