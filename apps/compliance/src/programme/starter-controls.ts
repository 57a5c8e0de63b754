// The starter control set (libs/catalogs/data/starter-controls.json), created once
// per organisation when it adopts a framework, each control already mapped to the
// requirements of all four built-in frameworks (the newest version of each).
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { loadStarterControls, type StarterControl } from '@packets/catalogs';

let starter: StarterControl[] | null = null;

/** validated once per process; the data files ship with the code */
export function starterControls(): StarterControl[] {
  starter ??= loadStarterControls();
  return starter;
}

/** Creates the starter controls the org does not have yet and maps them; returns how many were created. */
export async function createStarterControls(em: EntityManager, orgId: string, now: Date): Promise<number> {
  const set = starterControls();
  const requirements = await em.execute<{ id: string; key: string; ref: string }[]>(
    `select r.id, f.key, r.ref
       from compliance.requirements r
       join (select distinct on (key) id, key from compliance.frameworks order by key, created_at desc, position desc) f
         on f.id = r.framework_id`,
  );
  const requirementId = new Map(requirements.map((r) => [`${r.key}|${r.ref}`, r.id]));
  const rows = set.map((c) => ({ id: randomUUID(), starter_key: c.key, title: c.title, description: c.description }));
  const inserted = await em.execute<{ id: string; starter_key: string }[]>(
    `insert into compliance.controls (id, org_id, title, description, status, starter_key, created_at, updated_at)
     select x.id, ?, x.title, x.description, 'NOT_STARTED', x.starter_key, ?, ?
       from jsonb_to_recordset(?::jsonb) as x(id uuid, starter_key text, title text, description text)
     on conflict (org_id, starter_key) where starter_key is not null do nothing
     returning id, starter_key`,
    [orgId, now, now, JSON.stringify(rows)],
  );
  const byKey = new Map(set.map((c) => [c.key, c]));
  const mappings = inserted.flatMap((row) => Object.entries(byKey.get(row.starter_key)?.mappings ?? {}).flatMap(([framework, refs]) =>
    refs.map((ref) => requirementId.get(`${framework}|${ref}`)).filter((id): id is string => id !== undefined)
      .map((requirement_id) => ({ control_id: row.id, requirement_id }))));
  if (mappings.length > 0) {
    await em.execute(
      `insert into compliance.control_requirements (org_id, control_id, requirement_id, created_at)
       select ?, x.control_id, x.requirement_id, ? from jsonb_to_recordset(?::jsonb) as x(control_id uuid, requirement_id uuid)
       on conflict do nothing`,
      [orgId, now, JSON.stringify(mappings)],
    );
  }
  return inserted.length;
}
