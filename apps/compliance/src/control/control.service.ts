// Controls: authorisation first in every method; lists filtered in SQL by the
// caller's ability; another org's control answers exactly like a missing one.
import { randomUUID } from 'node:crypto';
import type { FilterQuery } from '@mikro-orm/core';
import { accessibleFilter, can, fieldsFilter } from '@packets/authz';
import { assertFieldWrite, badInput, decodeCursor, forbidden, notFound, pageSize, toConnection, validate, type ConnectionShape } from '@packets/graphql';
import { CONTROL_STATUSES, ControlEntity, ControlRequirementEntity } from './control.entity';
import { existingRequirementIds } from '../framework/framework.service';
import { toControl, type Control } from './control.type';
import type { ControlFilter, ControlInput } from './control.inputs';
import type { ComplianceContext } from '../compliance.context';

const TITLE_MAX = 200;
const TEXT_MAX = 10_000;

function cleanInput(input: ControlInput) {
  const ownerId = input.ownerId ?? null;
  if (ownerId !== null && !validate.isUuid(ownerId)) throw badInput('ownerId is not a valid id', 'ownerId');
  return {
    title: validate.text(input.title, 'title', { max: TITLE_MAX }),
    description: validate.optionalText(input.description, 'description', TEXT_MAX),
    status: validate.oneOf(input.status ?? 'NOT_STARTED', 'status', CONTROL_STATUSES),
    ownerId,
    implementationNotes: validate.optionalText(input.implementationNotes, 'implementationNotes', TEXT_MAX),
  };
}

async function assertMember(ctx: ComplianceContext, ownerId: string | null): Promise<void> {
  if (!ownerId) return;
  const members = await ctx.runtime.identity.membersAmong(ctx.orgId, [ownerId]);
  // Same answer for "no such user" and "a user of another org".
  if (!members.has(ownerId)) throw badInput('ownerId is not a member of this organisation', 'ownerId');
}

export async function listControls(
  ctx: ComplianceContext, filter: ControlFilter | null | undefined, first: number | null | undefined, after: string | null | undefined,
): Promise<ConnectionShape<Control>> {
  ctx.authorize('read', 'Control');
  const size = pageSize(first);
  const cursor = decodeCursor(after);
  const ownerId = validate.optionalId(filter?.ownerId, 'filter.ownerId');
  const allowed = accessibleFilter(ctx.ability, 'read', 'Control');
  if (!allowed) return toConnection([], size, toControl);
  const where: FilterQuery<ControlEntity>[] = [allowed];
  if (filter?.status) where.push({ status: filter.status });
  if (ownerId) where.push({ ownerId });
  // a filter matches only rows whose filtered fields the caller may read (no oracle on hidden fields)
  const readable = fieldsFilter(ctx.ability, 'read', 'Control', [...(filter?.status ? ['status'] : []), ...(ownerId ? ['ownerId'] : [])]);
  if (!readable) return toConnection([], size, toControl);
  where.push(readable);
  if (cursor) {
    where.push({ $or: [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { $lt: cursor.id } }] });
  }
  const rows = await ctx.tx((em) =>
    em.find(ControlEntity, { $and: where }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: size + 1 }),
  );
  return toConnection(rows, size, toControl);
}

/** A control the caller may read, or null (missing, another org's, or not readable): references and relations. */
export async function readableControl(ctx: ComplianceContext, id: string): Promise<Control | null> {
  if (!ctx.isAuthenticated) return null;
  const control = await ctx.loaders.controlById.load(id);
  return control && can(ctx.ability, 'read', 'Control', { ...control }) ? toControl(control) : null;
}

/** Loads a control the caller may read, or throws NOT_FOUND (missing, or another org's). */
export async function getControl(ctx: ComplianceContext, id: string): Promise<Control> {
  ctx.authorize('read', 'Control');
  const control = validate.isUuid(id) ? await ctx.loaders.controlById.load(id) : null;
  if (!control) throw notFound('Control');
  if (!can(ctx.ability, 'read', 'Control', { ...control })) throw forbidden();
  return toControl(control);
}

export async function createControl(ctx: ComplianceContext, input: ControlInput): Promise<Control> {
  const data = cleanInput(input);
  ctx.authorize('create', 'Control', data);
  await assertMember(ctx, data.ownerId);
  const now = ctx.now();
  return ctx.mutate((em) => {
    const control = em.create(ControlEntity, { id: randomUUID(), orgId: ctx.orgId, ...data, createdAt: now, updatedAt: now });
    return {
      result: toControl(control),
      audit: { action: 'control.create', subjectType: 'Control', subjectId: control.id, data: { ...data } },
    };
  });
}

export async function updateControl(ctx: ComplianceContext, id: string, input: ControlInput): Promise<Control> {
  ctx.authorize('update', 'Control');
  const data = cleanInput(input);
  const now = ctx.now();
  if (!validate.isUuid(id)) throw notFound('Control');
  return ctx.mutate(async (em) => {
    const control = await em.findOne(ControlEntity, { id });
    if (!control) throw notFound('Control');
    // both the control as it is and as it would become must be allowed
    if (!can(ctx.ability, 'update', 'Control', { ...control }) || !can(ctx.ability, 'update', 'Control', { ...control, ...data })) {
      throw forbidden();
    }
    if (data.ownerId !== control.ownerId) await assertMember(ctx, data.ownerId);
    const changed = Object.keys(data).filter((k) => data[k as keyof typeof data] !== control[k as keyof typeof data]);
    Object.assign(control, data, { updatedAt: now });
    return {
      result: toControl(control),
      audit: { action: 'control.update', subjectType: 'Control', subjectId: id, data: { changed, ...data } },
    };
  });
}

const MAX_MAPPINGS = 500;

/**
 * Sets the requirements a control is mapped to (of any frameworks, built-in or
 * imported by this org): exactly `requirementIds` afterwards. Unknown ids, and
 * another org's, are refused alike.
 */
export async function mapControl(ctx: ComplianceContext, controlId: string, requirementIds: string[]): Promise<Control> {
  ctx.authorize('update', 'Control');
  if (requirementIds.length > MAX_MAPPINGS) throw badInput(`at most ${MAX_MAPPINGS} requirements per control`, 'requirementIds');
  const wanted = [...new Set(requirementIds)];
  for (const id of wanted) if (!validate.isUuid(id)) throw badInput('requirementIds must be requirement ids', 'requirementIds');
  const now = ctx.now();
  return ctx.mutate(async (em) => {
    const control = validate.isUuid(controlId) ? await em.findOne(ControlEntity, { id: controlId }) : null;
    if (!control) throw notFound('Control');
    if (!can(ctx.ability, 'update', 'Control', { ...control })) throw forbidden();
    // mappings are join rows written past the flush guard: a write of Control.requirements
    assertFieldWrite(ctx, 'update', 'Control', { ...control }, 'requirements');
    const existing = await existingRequirementIds(em, wanted);
    const unknown = wanted.find((id) => !existing.has(id));
    if (unknown) throw badInput(`requirement ${unknown} does not exist`, 'requirementIds');
    const current = new Set((await em.find(ControlRequirementEntity, { controlId: control.id })).map((m) => m.requirementId));
    const added = wanted.filter((id) => !current.has(id));
    const removed = [...current].filter((id) => !wanted.includes(id));
    if (removed.length > 0) await em.nativeDelete(ControlRequirementEntity, { controlId: control.id, requirementId: { $in: removed } });
    if (added.length > 0) {
      await em.insertMany(ControlRequirementEntity, added.map((requirementId) => ({ controlId: control.id, requirementId, orgId: ctx.orgId, createdAt: now })));
    }
    control.updatedAt = now;
    return {
      result: toControl(control),
      audit: { action: 'control.map', subjectType: 'Control', subjectId: control.id, data: { requirementIds: wanted, added, removed } },
    };
  });
}
