// Batched reads for controls and their relations (requirements, evidence): one
// statement per relation per request, whatever the number of controls.
import DataLoader from 'dataloader';
import { accessibleFilter, can } from '@packets/authz';
import type { RequestContext } from '@packets/graphql';
import { ControlEntity } from './control.entity';
import { EvidenceEntity } from '../evidence/evidence.entity';
import type { RequirementRow } from '../framework/framework.entity';

export function controlById(ctx: RequestContext): DataLoader<string, ControlEntity | null> {
  return new DataLoader(async (ids) => {
    const rows = await ctx.tx((em) => em.find(ControlEntity, { id: { $in: [...ids] } }));
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

export interface ControlRequirementRow extends RequirementRow {
  frameworkKey: string;
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
export function requirementsByControl(ctx: RequestContext): DataLoader<string, ControlRequirementRow[]> {
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
    const map = new Map<string, ControlRequirementRow[]>();
    for (const r of rows) {
      const row: ControlRequirementRow = {
        id: r.id, frameworkId: r.framework_id, position: r.position, ref: r.ref, title: r.title, groupTitle: r.group_title,
        guidance: r.guidance, kind: r.kind, parentRef: r.parent_ref, frameworkKey: r.framework_key,
      };
      // field-level conditions on Requirement are rare: checked per row after the batched load
      if (!can(ctx.ability, 'read', 'Requirement', { id: row.id, frameworkId: row.frameworkId, ref: row.ref, title: row.title })) continue;
      const list = map.get(r.control_id) ?? [];
      list.push(row);
      map.set(r.control_id, list);
    }
    return ids.map((id) => map.get(id) ?? []);
  });
}

/** Evidence of each control the caller may read, newest first. */
export function evidenceByControl(ctx: RequestContext): DataLoader<string, EvidenceEntity[]> {
  return new DataLoader(async (ids) => {
    const allowed = accessibleFilter(ctx.ability, 'read', 'Evidence');
    if (!allowed) return ids.map(() => []);
    const rows = await ctx.tx((em) => em.find(
      EvidenceEntity,
      { $and: [allowed, { controlId: { $in: [...ids] } }] },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    ));
    const map = new Map<string, EvidenceEntity[]>();
    for (const r of rows) {
      const list = map.get(r.controlId) ?? [];
      list.push(r);
      map.set(r.controlId, list);
    }
    return ids.map((id) => map.get(id) ?? []);
  });
}
