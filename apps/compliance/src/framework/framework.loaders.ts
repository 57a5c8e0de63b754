// Batched reads of catalogues: frameworks by id and requirements by framework,
// each over both the built-in (global) and the org's imported tables.
import DataLoader from 'dataloader';
import type { FilterQuery } from '@mikro-orm/core';
import { accessibleFilter } from '@packets/authz';
import type { RequestContext } from '@packets/graphql';
import {
  FrameworkEntity, OrgFrameworkEntity, OrgRequirementEntity, RequirementEntity, frameworkRow, requirementRow,
} from './framework.entity';
import { toFramework, toRequirement, type Framework, type Requirement } from './framework.type';

export interface FrameworkLoaders {
  frameworkById: DataLoader<string, Framework | null>;
  requirementsByFramework: DataLoader<string, Requirement[]>;
}

export function frameworkLoaders(ctx: RequestContext): FrameworkLoaders {
  return { frameworkById: frameworkById(ctx), requirementsByFramework: requirementsByFramework(ctx) };
}

function frameworkById(ctx: RequestContext): DataLoader<string, Framework | null> {
  return new DataLoader(async (ids) => {
    const [global, own] = await ctx.tx(async (em) => [
      await em.find(FrameworkEntity, { id: { $in: [...ids] } }),
      await em.find(OrgFrameworkEntity, { id: { $in: [...ids] } }),
    ] as const);
    const map = new Map([...global, ...own].map((f) => [f.id, toFramework(frameworkRow(f))]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

/** Requirements of each framework the caller may read, in catalogue order. */
function requirementsByFramework(ctx: RequestContext): DataLoader<string, Requirement[]> {
  return new DataLoader(async (ids) => {
    const allowed = accessibleFilter(ctx.ability, 'read', 'Requirement');
    if (!allowed) return ids.map(() => []);
    const where = { $and: [allowed, { frameworkId: { $in: [...ids] } }] };
    const [global, own] = await ctx.tx(async (em) => [
      await em.find(RequirementEntity, where as FilterQuery<RequirementEntity>, { orderBy: { frameworkId: 'asc', position: 'asc' } }),
      await em.find(OrgRequirementEntity, where as FilterQuery<OrgRequirementEntity>, { orderBy: { frameworkId: 'asc', position: 'asc' } }),
    ] as const);
    const map = new Map<string, Requirement[]>();
    for (const r of [...global, ...own]) {
      const list = map.get(r.frameworkId) ?? [];
      list.push(toRequirement(requirementRow(r)));
      map.set(r.frameworkId, list);
    }
    return ids.map((id) => map.get(id) ?? []);
  });
}
