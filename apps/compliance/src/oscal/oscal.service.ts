// OSCAL 1.1.2 through the graph: import a catalogue (stored as the org's own,
// adoptable like the built-in ones), export any catalogue, and export the org's
// controls with their mappings and status as a component definition.
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { accessibleFilter } from '@packets/authz';
import { appError, ErrorCode, badInput, validate } from '@packets/graphql';
import {
  CatalogError, exportOscalCatalog, exportOscalComponentDefinition, importOscalCatalog, type Catalog, type OrgControl,
} from '@packets/catalogs';
import { FrameworkEntity, OrgFrameworkEntity, OrgRequirementEntity, frameworkRow } from '../framework/framework.entity';
import { toFramework, type Framework } from '../framework/framework.type';
import { loadCatalog, resolveFramework } from '../framework/framework.service';
import { ControlEntity, type ControlStatus } from '../control/control.entity';
import { uuidArray } from '../control/control.loaders';
import type { ComplianceContext } from '../compliance.context';

/** A refused document: BAD_USER_INPUT carrying the line, column, JSON path and reason. */
export function catalogInputError(err: CatalogError) {
  return appError(ErrorCode.BAD_USER_INPUT, err.message, {
    field: 'document', line: err.line ?? null, column: err.column ?? null, path: err.path ?? null, reason: err.reason,
  });
}

export async function importOscalFramework(ctx: ComplianceContext, document: string, key?: string | null): Promise<Framework> {
  ctx.authorize('create', 'Framework');
  const max = ctx.runtime.settings.oscalMaxBytes;
  if (Buffer.byteLength(document) > max) throw badInput(`document is larger than ${max} bytes`, 'document');
  // PostgreSQL's jsonb cannot hold U+0000
  if (document.includes('\\u0000')) throw badInput('document contains a NUL character (\\u0000), which cannot be stored', 'document');
  let catalog: Catalog;
  try {
    catalog = importOscalCatalog(document, { fileName: 'OSCAL document', key: key ? validate.text(key, 'key', { max: 64 }) : undefined });
  } catch (err) {
    if (err instanceof CatalogError) throw catalogInputError(err);
    throw err;
  }
  ctx.authorize('create', 'Framework', { key: catalog.key, version: catalog.version, name: catalog.name });
  const now = ctx.now();
  try {
    return await ctx.mutate(async (em) => {
      if (await em.count(FrameworkEntity, { key: catalog.key })) {
        throw appError(ErrorCode.CONFLICT, `"${catalog.key}" is the key of a built-in catalogue: import it under another key`, { field: 'key' });
      }
      if (await em.count(OrgFrameworkEntity, { key: catalog.key, version: catalog.version })) {
        throw appError(ErrorCode.CONFLICT, `this organisation already has ${catalog.key} version ${catalog.version}`, { field: 'key' });
      }
      const framework = em.create(OrgFrameworkEntity, {
        id: randomUUID(), orgId: ctx.orgId, key: catalog.key, version: catalog.version, name: catalog.name,
        publisher: catalog.publisher ?? null, source: catalog.source ?? null, oscal: catalog.oscal ?? null,
        importedBy: ctx.actor.userId, createdAt: now,
      });
      await em.flush();
      await em.insertMany(OrgRequirementEntity, catalog.requirements.map((r, position) => ({
        id: randomUUID(), orgId: ctx.orgId, frameworkId: framework.id, position, ref: r.ref, title: r.title,
        groupTitle: r.group ?? null, guidance: r.guidance ?? null, kind: r.kind ?? null, parentRef: r.parent ?? null, oscal: r.oscal ?? null,
      })));
      return {
        result: toFramework(frameworkRow(framework)),
        audit: {
          action: 'framework.import', subjectType: 'Framework', subjectId: framework.id,
          data: { framework: catalog.key, version: catalog.version, name: catalog.name, requirements: catalog.requirements.length },
        },
      };
    });
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) {
      throw appError(ErrorCode.CONFLICT, `this organisation already has ${catalog.key} version ${catalog.version}`, { field: 'key' });
    }
    throw err;
  }
}

export async function exportFrameworkOscal(ctx: ComplianceContext, key: string, version?: string | null): Promise<string> {
  ctx.authorize('read', 'Framework');
  ctx.authorize('read', 'Requirement');
  const catalog = await ctx.tx(async (em) => loadCatalog(em, (await resolveFramework(em, ctx, key, version)).entity));
  return exportOscalCatalog(catalog, { now: ctx.now() });
}

const OSCAL_STATUS: Record<ControlStatus, string> = {
  IMPLEMENTED: 'implemented', IN_PROGRESS: 'partial', NOT_STARTED: 'planned', NOT_APPLICABLE: 'not-applicable',
};

interface MappingRow {
  control_id: string;
  framework_id: string;
  framework_key: string;
  ref: string;
}

/** The org's controls (those the caller may read) with mappings and status, as an OSCAL component definition. */
export async function exportControlsOscal(ctx: ComplianceContext, organizationName?: string | null): Promise<string> {
  ctx.authorize('read', 'Control');
  ctx.authorize('read', 'Requirement');
  const orgName = organizationName ? validate.text(organizationName, 'organizationName', { max: 200 }) : `Organisation ${ctx.orgId}`;
  const allowed = accessibleFilter(ctx.ability, 'read', 'Control');
  const { controls, mappings, catalogs } = await ctx.tx(async (em) => {
    const list = allowed ? await em.find(ControlEntity, allowed, { orderBy: { createdAt: 'asc', id: 'asc' } }) : [];
    const rows = list.length === 0 ? [] : await em.execute<MappingRow[]>(
      `select cr.control_id, r.framework_id, f.key as framework_key, r.ref
         from compliance.control_requirements cr
         join (select id, framework_id, ref, position from compliance.requirements
               union all select id, framework_id, ref, position from compliance.org_requirements) r on r.id = cr.requirement_id
         join (select id, key from compliance.frameworks union all select id, key from compliance.org_frameworks) f on f.id = r.framework_id
        where cr.control_id = any(?::uuid[])
        order by f.key, r.position`,
      [uuidArray(list.map((c) => c.id))],
    );
    // the catalogues mapped to, so that control-ids follow each catalogue's OSCAL ids
    const frameworkIds = [...new Set(rows.map((r) => r.framework_id))];
    const entities = frameworkIds.length === 0 ? [] : [
      ...await em.find(FrameworkEntity, { id: { $in: frameworkIds } }),
      ...await em.find(OrgFrameworkEntity, { id: { $in: frameworkIds } }),
    ];
    const loaded: Catalog[] = [];
    for (const entity of entities) loaded.push(await loadCatalog(em, entity));
    return { controls: list, mappings: rows, catalogs: loaded };
  });
  const byControl = new Map<string, MappingRow[]>();
  for (const m of mappings) byControl.set(m.control_id, [...(byControl.get(m.control_id) ?? []), m]);
  const orgControls: OrgControl[] = controls.map((c) => ({
    id: c.id, title: c.title, description: c.description ?? '', status: OSCAL_STATUS[c.status], implementationNotes: c.implementationNotes,
    mappings: (byControl.get(c.id) ?? []).map((m) => ({ frameworkKey: m.framework_key, ref: m.ref })),
  }));
  return exportOscalComponentDefinition({ orgName, controls: orgControls }, { now: ctx.now(), catalogs });
}
