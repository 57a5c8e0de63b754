// Alerts in the graph: read by whoever may read the audit log and alerts (Owner and
// Auditor by default), acknowledged by whoever may also update alerts (Owner).
import type { FilterQuery } from '@mikro-orm/core';
import { accessibleFilter, can, fieldsFilter } from '@packets/authz';
import { appError, decodeCursor, ErrorCode, forbidden, notFound, pageSize, toConnection, validate, type ConnectionShape } from '@packets/graphql';
import { AlertEntity } from './alert.entity';
import { toAuditAlert, type AuditAlert, type AuditAlertFilter } from './alert.type';
import type { AuditContext } from '../audit.context';

export async function listAlerts(
  ctx: AuditContext, filter: AuditAlertFilter | null | undefined, first: number | null | undefined, after: string | null | undefined,
): Promise<ConnectionShape<AuditAlert>> {
  // alerts describe the log's content: reading them needs the log too
  ctx.authorize('read', 'AuditEvent');
  ctx.authorize('read', 'AuditAlert');
  const size = pageSize(first, 20);
  const cursor = decodeCursor(after);
  const cursorOf = (a: AlertEntity) => ({ createdAt: a.createdAt, id: a.id });
  const allowed = accessibleFilter(ctx.ability, 'read', 'AuditAlert');
  if (!allowed) return toConnection([], size, toAuditAlert, cursorOf);
  const where: FilterQuery<AlertEntity>[] = [allowed];
  if (filter?.acknowledged === true) where.push({ acknowledgedAt: { $ne: null } });
  if (filter?.acknowledged === false) where.push({ acknowledgedAt: null });
  if (filter?.rule) where.push({ rule: filter.rule });
  // a filter matches only alerts whose filtered fields the caller may read (no oracle on hidden fields)
  const readable = fieldsFilter(ctx.ability, 'read', 'AuditAlert',
    [...(filter?.rule ? ['rule'] : []), ...(typeof filter?.acknowledged === 'boolean' ? ['acknowledgedAt'] : [])]);
  if (!readable) return toConnection([], size, toAuditAlert, cursorOf);
  where.push(readable);
  if (cursor) where.push({ $or: [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { $lt: cursor.id } }] });
  const rows = await ctx.tx((em) => em.find(AlertEntity, { $and: where }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: size + 1 }));
  return toConnection(rows, size, toAuditAlert, cursorOf);
}

export async function acknowledgeAlert(ctx: AuditContext, id: string): Promise<AuditAlert> {
  ctx.authorize('read', 'AuditEvent');
  ctx.authorize('update', 'AuditAlert');
  if (!validate.isUuid(id)) throw notFound('Alert');
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    const alert = await em.findOne(AlertEntity, { id });
    if (!alert || !can(ctx.ability, 'read', 'AuditAlert', { ...alert })) throw notFound('Alert');
    if (!can(ctx.ability, 'update', 'AuditAlert', { ...alert })) throw forbidden();
    if (alert.acknowledgedAt) throw appError(ErrorCode.CONFLICT, 'Alert already acknowledged');
    alert.acknowledgedAt = now;
    alert.acknowledgedBy = ctx.actor.userId;
    return {
      result: toAuditAlert(alert),
      audit: { action: 'audit.alert_acknowledge', subjectType: 'AuditAlert', subjectId: id, data: { rule: alert.rule } },
    };
  });
}
