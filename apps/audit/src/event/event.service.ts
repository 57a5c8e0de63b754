// Reading the audit log: lists filtered in SQL by the caller's ability and the
// filter, newest first, keyset cursors. Appending lives in chain/chain.append.ts.
import type { FilterQuery } from '@mikro-orm/core';
import { accessibleFilter, fieldsFilter, type AppAbility } from '@packets/authz';
import { badInput, decodeCursor, pageSize, toConnection, validate, type ConnectionShape } from '@packets/graphql';
import { AuditEventEntity } from './event.entity';
import { toAuditEvent, type AuditEvent, type AuditFilter } from './event.type';
import type { AuditContext } from '../audit.context';

/** A filter checked once, in plain JSON form (exports store it). */
export interface CleanFilter {
  actorId?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  outcome?: string;
  from?: string;
  to?: string;
}

export function cleanFilter(filter: AuditFilter | null | undefined): CleanFilter {
  const out: CleanFilter = {};
  if (!filter) return out;
  if (filter.actorId) {
    if (!validate.isUuid(filter.actorId)) throw badInput('actorId is not a valid id', 'filter.actorId');
    out.actorId = filter.actorId;
  }
  if (filter.action) out.action = validate.text(filter.action, 'filter.action', { max: 100 });
  if (filter.subjectType) out.subjectType = validate.text(filter.subjectType, 'filter.subjectType', { max: 100 });
  if (filter.subjectId) out.subjectId = validate.text(filter.subjectId, 'filter.subjectId', { max: 200 });
  if (filter.outcome) out.outcome = filter.outcome;
  if (filter.from) out.from = filter.from.toISOString();
  if (filter.to) out.to = filter.to.toISOString();
  if (out.from && out.to && out.from >= out.to) throw badInput('filter.from must be before filter.to', 'filter.from');
  return out;
}

export function filterWhere(f: CleanFilter): FilterQuery<AuditEventEntity>[] {
  const where: FilterQuery<AuditEventEntity>[] = [];
  if (f.actorId) where.push({ actorId: f.actorId });
  if (f.action) where.push({ action: f.action });
  if (f.subjectType) where.push({ subjectType: f.subjectType });
  if (f.subjectId) where.push({ subjectId: f.subjectId });
  if (f.outcome) where.push({ outcome: f.outcome });
  if (f.from) where.push({ occurredAt: { $gte: new Date(f.from) } });
  if (f.to) where.push({ occurredAt: { $lt: new Date(f.to) } });
  return where;
}

/** The registry fields a filter reads (each must be readable on a row for the row to match). */
const FILTER_FIELDS: Record<keyof CleanFilter, string> = {
  actorId: 'actorId', action: 'action', subjectType: 'subjectType', subjectId: 'subjectId', outcome: 'outcome', from: 'occurredAt', to: 'occurredAt',
};

/**
 * The rows a filter may match for this actor: only those whose filtered fields it may
 * read, so a field the role cannot read (actorId, say) is no oracle. null: none.
 */
export function readableByFilter(ability: AppAbility, f: CleanFilter): FilterQuery<AuditEventEntity> | null {
  return fieldsFilter(ability, 'read', 'AuditEvent', (Object.keys(f) as (keyof CleanFilter)[]).map((k) => FILTER_FIELDS[k]));
}

export async function listEvents(
  ctx: AuditContext, filter: AuditFilter | null | undefined, first: number | null | undefined, after: string | null | undefined,
): Promise<ConnectionShape<AuditEvent>> {
  ctx.authorize('read', 'AuditEvent');
  const size = pageSize(first, 50);
  const cursor = decodeCursor(after);
  const allowed = accessibleFilter(ctx.ability, 'read', 'AuditEvent');
  const cursorOf = (e: AuditEventEntity) => ({ createdAt: e.occurredAt, id: e.id });
  const clean = cleanFilter(filter);
  const readable = readableByFilter(ctx.ability, clean);
  if (!allowed || !readable) return toConnection([], size, toAuditEvent, cursorOf);
  const where: FilterQuery<AuditEventEntity>[] = [allowed, readable, ...filterWhere(clean)];
  if (cursor) {
    where.push({ $or: [{ occurredAt: { $lt: cursor.createdAt } }, { occurredAt: cursor.createdAt, id: { $lt: cursor.id } }] });
  }
  const rows = await ctx.tx((em) =>
    em.find(AuditEventEntity, { $and: where }, { orderBy: { occurredAt: 'desc', id: 'desc' }, limit: size + 1 }),
  );
  return toConnection(rows, size, toAuditEvent, cursorOf);
}
