// Batched reads for controls and their relations (requirements, evidence): one
// statement per relation per request, whatever the number of controls.
import DataLoader from 'dataloader';
import { accessibleFilter, can } from '@packets/authz';
import type { RequestContext } from '@packets/graphql';
import { ControlEntity } from './control.entity';
import { EvidenceEntity } from '../evidence/evidence.entity';
import { toEvidence, type Evidence } from '../evidence/evidence.type';
import { toRequirement, type Requirement } from '../framework/framework.type';

export interface ControlLoaders {
  /** the stored control, for the object-level check its readers make (control.service) */
  controlById: DataLoader<string, ControlEntity | null>;
  /** the requirements each control is mapped to, that the caller may read */
  requirementsByControl: DataLoader<string, Requirement[]>;
  /** each control's evidence the caller may read, newest first */
  evidenceByControl: DataLoader<string, Evidence[]>;
}

export function controlLoaders(ctx: RequestContext): ControlLoaders {
  return { controlById: controlById(ctx), requirementsByControl: requirementsByControl(ctx), evidenceByControl: evidenceByControl(ctx) };
}

function controlById(ctx: RequestContext): DataLoader<string, ControlEntity | null> {
  return new DataLoader(async (ids) => {
    const rows = await ctx.tx((em) => em.find(ControlEntity, { id: { $in: [...ids] } }));
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

interface MappedRow {
  control_id: string;
  id: string;
  framework_id: string;
  position: number;
  ref: string;
  title: string;
  group_title: string | null;
  guidance: string | null;
  kind: string | null;
  parent_ref: string | null;
  framework_key: string;
}

/** uuids only (checked by callers), as a PostgreSQL array literal */
export function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}

/** The requirements each control is mapped to, across built-in and imported catalogues, in one statement. */
function requirementsByControl(ctx: RequestContext): DataLoader<string, Requirement[]> {
  return new DataLoader(async (ids) => {
    if (!can(ctx.ability, 'read', 'Requirement')) return ids.map(() => []);
    const rows = await ctx.tx((em) => em.execute<MappedRow[]>(
      `select cr.control_id, r.id, r.framework_id, r.position, r.ref, r.title, r.group_title, r.guidance, r.kind, r.parent_ref,
              f.key as framework_key
         from compliance.control_requirements cr
         join (select id, framework_id, position, ref, title, group_title, guidance, kind, parent_ref from compliance.requirements
               union all
               select id, framework_id, position, ref, title, group_title, guidance, kind, parent_ref from compliance.org_requirements) r
           on r.id = cr.requirement_id
         join (select id, key from compliance.frameworks union all select id, key from compliance.org_frameworks) f
           on f.id = r.framework_id
        where cr.control_id = any(?::uuid[])
        order by f.key, r.position`,
      [uuidArray(ids)],
    ));
    const map = new Map<string, Requirement[]>();
    for (const r of rows) {
      // field-level conditions on Requirement are rare: checked per row after the batched load
      if (!can(ctx.ability, 'read', 'Requirement', { id: r.id, frameworkId: r.framework_id, ref: r.ref, title: r.title })) continue;
      const list = map.get(r.control_id) ?? [];
      list.push(toRequirement({
        id: r.id, frameworkId: r.framework_id, position: r.position, ref: r.ref, title: r.title, groupTitle: r.group_title,
        guidance: r.guidance, kind: r.kind, parentRef: r.parent_ref,
      }));
      map.set(r.control_id, list);
    }
    return ids.map((id) => map.get(id) ?? []);
  });
}

/** Evidence of each control the caller may read, newest first. */
function evidenceByControl(ctx: RequestContext): DataLoader<string, Evidence[]> {
  return new DataLoader(async (ids) => {
    const allowed = accessibleFilter(ctx.ability, 'read', 'Evidence');
    if (!allowed) return ids.map(() => []);
    const rows = await ctx.tx((em) => em.find(
      EvidenceEntity,
      { $and: [allowed, { controlId: { $in: [...ids] } }] },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    ));
    const now = ctx.now();
    const map = new Map<string, Evidence[]>();
    for (const r of rows) {
      const list = map.get(r.controlId) ?? [];
      list.push(toEvidence(r, now));
      map.set(r.controlId, list);
    }
    return ids.map((id) => map.get(id) ?? []);
  });
}
