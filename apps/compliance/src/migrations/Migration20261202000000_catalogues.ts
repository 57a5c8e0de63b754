// The built-in framework catalogues as data: global tables (no org_id, nothing
// tenant-specific), read-only to the app role, filled from tools/catalogs. A
// catalogue is versioned by key + version: a new edition is a new migration that
// inserts new rows; rows already loaded are never rewritten.
import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, OWNER_ROLE } from '@packets/db';
import { loadBuiltInCatalogs, type Catalog } from '@packets/catalogs';

const QUOTE = '$catalogue$';

/** A JSON value as a dollar-quoted jsonb literal (no escaping needed unless the text holds the quote tag). */
export function jsonbLiteral(value: unknown): string {
  const text = JSON.stringify(value);
  if (text.includes(QUOTE)) throw new Error(`catalogue data contains ${QUOTE}`);
  return `${QUOTE}${text}${QUOTE}::jsonb`;
}

/** Globally readable, written only by migrations (the owner role), with forced RLS like every table. */
export function globalTableSql(table: string): string[] {
  return [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy global_read on ${table} for select using (true)`,
    `create policy migrations_write on ${table} for all to ${OWNER_ROLE} using (true) with check (true)`,
    `grant select on ${table} to ${APP_ROLE}`,
  ];
}

/** Statements inserting catalogues (idempotent by key + version and by ref). */
export function insertCataloguesSql(catalogs: readonly Catalog[]): string[] {
  const frameworks = catalogs.map((c, position) => ({
    key: c.key, version: c.version, name: c.name, publisher: c.publisher ?? null, source: c.source ?? null, position,
  }));
  const requirements = catalogs.flatMap((c) => c.requirements.map((r, position) => ({
    framework_key: c.key, framework_version: c.version, position, ref: r.ref, title: r.title,
    group_title: r.group ?? null, guidance: r.guidance ?? null, kind: r.kind ?? null, parent_ref: r.parent ?? null,
  })));
  return [
    `insert into compliance.frameworks (key, version, name, publisher, source, position)
     select key, version, name, publisher, source, position
       from jsonb_to_recordset(${jsonbLiteral(frameworks)})
         as x(key text, version text, name text, publisher text, source text, position int)
     on conflict (key, version) do nothing`,
    `insert into compliance.requirements (framework_id, position, ref, title, group_title, guidance, kind, parent_ref)
     select f.id, x.position, x.ref, x.title, x.group_title, x.guidance, x.kind, x.parent_ref
       from jsonb_to_recordset(${jsonbLiteral(requirements)})
         as x(framework_key text, framework_version text, position int, ref text, title text, group_title text, guidance text, kind text, parent_ref text)
       join compliance.frameworks f on f.key = x.framework_key and f.version = x.framework_version
     on conflict (framework_id, ref) do nothing`,
  ];
}

export class Migration20261202000000_catalogues extends Migration {
  override up(): void {
    const sql = [
      `create table compliance.frameworks (
        id uuid primary key default gen_random_uuid(),
        key text not null check (key ~ '^[a-z][a-z0-9-]*$' and length(key) <= 64),
        version text not null check (length(version) between 1 and 100),
        name text not null check (length(name) between 1 and 200),
        publisher text,
        source text,
        position int not null default 0,
        created_at timestamptz not null default now(),
        unique (key, version)
      )`,
      `create table compliance.requirements (
        id uuid primary key default gen_random_uuid(),
        framework_id uuid not null references compliance.frameworks (id),
        position int not null,
        ref text not null check (length(ref) between 1 and 64),
        title text not null check (length(title) between 1 and 200),
        group_title text,
        guidance text,
        kind text,
        parent_ref text,
        unique (framework_id, ref)
      )`,
      `create index requirements_framework_idx on compliance.requirements (framework_id, position)`,
      ...globalTableSql('compliance.frameworks'),
      ...globalTableSql('compliance.requirements'),
      ...insertCataloguesSql(loadBuiltInCatalogs()),
    ];
    for (const statement of sql) this.addSql(statement);
  }
}
