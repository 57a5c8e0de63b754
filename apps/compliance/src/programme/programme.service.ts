// Programmes: an organisation adopting a framework (built-in or imported), its
// status, and (through the loader) its readiness computed in SQL.
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import { accessibleFilter, can, forbiddenWriteField } from '@packets/authz';
import { appError, ErrorCode, forbidden, notFound, validate } from '@packets/graphql';
import { PROGRAMME_STATUSES, ProgrammeEntity } from './programme.entity';
import { toProgramme, type Programme } from './programme.type';
import type { ProgrammeInput } from './programme.inputs';
import { createStarterControls } from './starter-controls';
import { resolveFramework } from '../framework/framework.service';
import type { ComplianceContext } from '../compliance.context';

/** Organization.programmes: the caller's own organisation only; empty for a caller who may not read programmes. */
export async function programmesOf(ctx: ComplianceContext, orgId: string): Promise<Programme[]> {
  if (!ctx.isAuthenticated || orgId !== ctx.orgId || !can(ctx.ability, 'read', 'Programme')) return [];
  return listProgrammes(ctx);
}

export async function listProgrammes(ctx: ComplianceContext): Promise<Programme[]> {
  ctx.authorize('read', 'Programme');
  const allowed = accessibleFilter(ctx.ability, 'read', 'Programme');
  if (!allowed) return [];
  const rows = await ctx.tx((em) => em.find(ProgrammeEntity, allowed as FilterQuery<ProgrammeEntity>, { orderBy: { createdAt: 'asc', id: 'asc' } }));
  return rows.map(toProgramme);
}

/**
 * The starter controls are written in one statement, past the flush guard: the actor
 * must be allowed to create a control as they are (a title and a description, no
 * owner, NOT_STARTED), conditions and field rules included.
 */
function assertMayCreateStarterControls(ctx: ComplianceContext): void {
  ctx.authorize('create', 'Control');
  const sample = {
    id: randomUUID(), title: 'starter', description: 'starter', status: 'NOT_STARTED', ownerId: null, implementationNotes: null, requirements: ['starter'],
  };
  if (!can(ctx.ability, 'create', 'Control', sample)) throw ctx.denied(forbidden(), 'create', 'Control', sample);
  const field = forbiddenWriteField(ctx.ability, 'create', 'Control', null, sample, ['title', 'description', 'requirements']);
  if (field) {
    throw ctx.denied(appError(ErrorCode.FORBIDDEN, `You are not allowed to create ${field} of Control (the starter controls set it)`, { field, subject: 'Control' }),
      'create', 'Control');
  }
}

const conflict = (key: string) => appError(ErrorCode.CONFLICT, `the organisation has already adopted ${key}`, { field: 'frameworkKey' });

/**
 * Adopts a framework. With includeStarterControls (the default) the org also gets
 * the starter control set, once: a second adoption creates no duplicates, and the
 * controls are already mapped across the four built-in frameworks.
 */
export async function adoptFramework(
  ctx: ComplianceContext, frameworkKey: string, version: string | null | undefined, includeStarterControls: boolean,
): Promise<Programme> {
  ctx.authorize('create', 'Programme');
  if (includeStarterControls) assertMayCreateStarterControls(ctx);
  const now = ctx.now();
  try {
    return await ctx.mutate(async (em) => {
      const { row } = await resolveFramework(em, ctx, frameworkKey, version);
      if (!can(ctx.ability, 'create', 'Programme', { frameworkId: row.id, frameworkKey: row.key, status: 'NOT_STARTED' })) throw forbidden();
      if (await em.count(ProgrammeEntity, { frameworkKey: row.key })) throw conflict(row.key);
      const programme = em.create(ProgrammeEntity, {
        id: randomUUID(), orgId: ctx.orgId, frameworkId: row.id, frameworkKey: row.key, status: 'NOT_STARTED',
        adoptedBy: ctx.actor.userId, createdAt: now, updatedAt: now,
      });
      const starterControlsCreated = includeStarterControls ? await createStarterControls(em, ctx.orgId, now) : 0;
      return {
        result: toProgramme(programme),
        audit: {
          action: 'programme.adopt', subjectType: 'Programme', subjectId: programme.id,
          data: { framework: row.key, version: row.version, builtIn: row.builtIn, starterControlsCreated },
        },
      };
    });
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw conflict(frameworkKey);
    throw err;
  }
}

export async function updateProgramme(ctx: ComplianceContext, id: string, input: ProgrammeInput): Promise<Programme> {
  ctx.authorize('update', 'Programme');
  const status = validate.oneOf(input.status, 'status', PROGRAMME_STATUSES);
  const now = ctx.now();
  if (!validate.isUuid(id)) throw notFound('Programme');
  return ctx.mutate(async (em) => {
    const programme = await em.findOne(ProgrammeEntity, { id });
    if (!programme) throw notFound('Programme');
    const subject = { id: programme.id, frameworkId: programme.frameworkId, frameworkKey: programme.frameworkKey, status: programme.status };
    if (!can(ctx.ability, 'update', 'Programme', subject) || !can(ctx.ability, 'update', 'Programme', { ...subject, status })) throw forbidden();
    const previous = programme.status;
    programme.status = status;
    programme.updatedAt = now;
    return {
      result: toProgramme(programme),
      audit: { action: 'programme.update', subjectType: 'Programme', subjectId: id, data: { status, previous } },
    };
  });
}
