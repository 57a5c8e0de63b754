// Readiness of every programme in a request in one aggregate statement: for each
// programme, its framework's requirements, and how many of them are mapped to an
// IMPLEMENTED control that has at least one current (collected, unexpired) evidence.
import DataLoader from 'dataloader';
import type { RequestContext } from '@packets/graphql';
import { readiness, type Readiness } from './programme.type';
import { uuidArray } from '../control/control.loaders';

export const READINESS_SQL = `
  with p as (
    select id, framework_id from compliance.programmes where id = any(?::uuid[])
  ), reqs as (
    select p.id as programme_id, r.id as requirement_id from p join compliance.requirements r on r.framework_id = p.framework_id
    union all
    select p.id, r.id from p join compliance.org_requirements r on r.framework_id = p.framework_id
  ), covered as (
    select distinct cr.requirement_id
      from compliance.control_requirements cr
      join compliance.controls c on c.id = cr.control_id and c.status = 'IMPLEMENTED'
     where cr.requirement_id in (select requirement_id from reqs)
       and exists (select 1 from compliance.evidence e
                    where e.control_id = c.id and e.collected_at <= ? and (e.expires_at is null or e.expires_at > ?))
  )
  select reqs.programme_id, count(*)::int as total, count(covered.requirement_id)::int as covered
    from reqs left join covered on covered.requirement_id = reqs.requirement_id
   group by reqs.programme_id`;

export interface ProgrammeLoaders {
  readinessByProgramme: DataLoader<string, Readiness>;
}

export function programmeLoaders(ctx: RequestContext): ProgrammeLoaders {
  return { readinessByProgramme: readinessByProgramme(ctx) };
}

function readinessByProgramme(ctx: RequestContext): DataLoader<string, Readiness> {
  return new DataLoader(async (ids) => {
    const now = ctx.now();
    const rows = await ctx.tx((em) => em.execute<{ programme_id: string; total: number; covered: number }[]>(
      READINESS_SQL, [uuidArray(ids), now, now],
    ));
    const map = new Map(rows.map((r) => [r.programme_id, readiness(r.total, r.covered)]));
    return ids.map((id) => map.get(id) ?? readiness(0, 0));
  });
}
