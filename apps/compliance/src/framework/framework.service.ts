// Catalogues: the built-in ones (global) and those this organisation imported.
// Reads are filtered in SQL by the caller's ability; a framework key resolves to
// the org's imported catalogue or the built-in one (keys never overlap).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { accessibleFilter, can } from '@packets/authz';
import { badInput, forbidden, notFound, validate } from '@packets/graphql';
import type { Catalog, JsonObject, Requirement as CatalogRequirement, RequirementKind } from '@packets/catalogs';
import {
  FrameworkEntity, OrgFrameworkEntity, OrgRequirementEntity, RequirementEntity, frameworkRow, type FrameworkRow,
} from './framework.entity';
import { toFramework, type Framework } from './framework.type';
import type { ComplianceContext } from '../compliance.context';

export async function listFrameworks(ctx: ComplianceContext): Promise<Framework[]> {
  ctx.authorize('read', 'Framework');
  const allowed = accessibleFilter(ctx.ability, 'read', 'Framework');
  if (!allowed) return [];
  const [global, own] = await ctx.tx(async (em) => [
    await em.find(FrameworkEntity, allowed as FilterQuery<FrameworkEntity>, { orderBy: { position: 'asc', createdAt: 'asc' } }),
    await em.find(OrgFrameworkEntity, allowed as FilterQuery<OrgFrameworkEntity>, { orderBy: { createdAt: 'asc' } }),
  ] as const);
  return [...global, ...own].map((f) => toFramework(frameworkRow(f)));
}

/**
 * The framework a key (and optional version) names, for the caller's org: its
 * imported catalogue first, else the built-in one; the newest version unless one
 * is named. NOT_FOUND when there is none (or it belongs to another org).
 */
export async function resolveFramework(
  em: EntityManager, ctx: ComplianceContext, key: string, version?: string | null,
): Promise<{ row: FrameworkRow; entity: FrameworkEntity | OrgFrameworkEntity }> {
  const cleanKey = validate.text(key, 'frameworkKey', { max: 64 });
  const where = version ? { key: cleanKey, version } : { key: cleanKey };
  const own = await em.findOne(OrgFrameworkEntity, where, { orderBy: { createdAt: 'desc' } });
  const entity = own ?? await em.findOne(FrameworkEntity, where, { orderBy: { createdAt: 'desc' } });
  if (!entity) throw notFound('Framework');
  const row = frameworkRow(entity);
  if (!can(ctx.ability, 'read', 'Framework', { id: row.id, key: row.key, version: row.version, name: row.name })) throw forbidden();
  return { row, entity };
}

function optional<T>(v: T | null): T | undefined {
  return v === null ? undefined : v;
}

/** The whole catalogue (requirements in order, OSCAL structure of imported ones) for export. */
export async function loadCatalog(em: EntityManager, entity: FrameworkEntity | OrgFrameworkEntity): Promise<Catalog> {
  let oscal: JsonObject | null = null;
  let rows: (RequirementEntity | OrgRequirementEntity)[];
  if (entity instanceof OrgFrameworkEntity) {
    await em.populate(entity, ['oscal']);
    oscal = entity.oscal;
    rows = await em.find(OrgRequirementEntity, { frameworkId: entity.id }, { orderBy: { position: 'asc' }, populate: ['oscal'] });
  } else {
    rows = await em.find(RequirementEntity, { frameworkId: entity.id }, { orderBy: { position: 'asc' } });
  }
  const requirements = rows.map((r): CatalogRequirement => {
    const req: CatalogRequirement = { ref: r.ref, title: r.title };
    if (r.groupTitle !== null) req.group = r.groupTitle;
    if (r.guidance !== null) req.guidance = r.guidance;
    if (r.kind === 'clause' || r.kind === 'annex-a') req.kind = r.kind satisfies RequirementKind;
    if (r.parentRef !== null) req.parent = r.parentRef;
    if (r instanceof OrgRequirementEntity && r.oscal) req.oscal = r.oscal;
    return req;
  });
  const catalog: Catalog = {
    key: entity.key, name: entity.name, version: entity.version, requirements,
    publisher: optional(entity.publisher), source: optional(entity.source),
  };
  if (catalog.publisher === undefined) delete catalog.publisher;
  if (catalog.source === undefined) delete catalog.source;
  if (oscal) catalog.oscal = oscal;
  return catalog;
}

/** Requirement ids that exist for this org (built-in or its own imported ones); RLS hides other orgs' rows. */
export async function existingRequirementIds(em: EntityManager, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  for (const id of ids) if (!validate.isUuid(id)) throw badInput('requirementIds must be requirement ids', 'requirementIds');
  const [global, own] = [
    await em.find(RequirementEntity, { id: { $in: ids } }, { fields: ['id'] }),
    await em.find(OrgRequirementEntity, { id: { $in: ids } }, { fields: ['id'] }),
  ];
  return new Set([...global, ...own].map((r) => r.id));
}
