// Database set-up, run with an administrator connection before the services start:
// the owner and app roles, one schema per subgraph, then each subgraph's migrations
// as the owner role so the app role never owns anything.
import { Client } from 'pg';
import type { MigrationObject } from '@mikro-orm/core';
import { APP_ROLE, OWNER_ROLE } from './url';
import { createOrm } from './orm';

/**
 * The audit retention job's role: the only one the audit log's triggers let delete
 * events (and only events sealed by a retention checkpoint). NOLOGIN: the job
 * connects with an administrator URL, or a login role granted this one, and runs
 * `SET ROLE` (see docs/decisions/0005-audit-chain.md).
 */
export const AUDIT_RETENTION_ROLE = 'packets_audit_retention';

export interface SubgraphMigrations {
  schema: string;
  migrations: MigrationObject[];
}

export async function bootstrapDatabase(adminUrl: string, appPassword: string, subgraphs: SubgraphMigrations[]): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // Roles are cluster-wide: create once, keep the attributes right every time.
    await client.query(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = '${OWNER_ROLE}') then create role ${OWNER_ROLE} nologin; end if;
      if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then create role ${APP_ROLE} login; end if;
      if not exists (select 1 from pg_roles where rolname = '${AUDIT_RETENTION_ROLE}') then create role ${AUDIT_RETENTION_ROLE} nologin; end if;
    end $$`);
    await client.query(`alter role ${AUDIT_RETENTION_ROLE} with nologin nosuperuser nobypassrls`);
    await client.query(`grant ${AUDIT_RETENTION_ROLE} to current_user`);
    await client.query(`alter role ${APP_ROLE} with login nosuperuser nocreatedb nocreaterole nobypassrls password ${client.escapeLiteral(appPassword)}`);
    await client.query(`alter role ${OWNER_ROLE} with nologin nosuperuser nobypassrls`);
    await client.query(`grant ${OWNER_ROLE} to current_user`);
    const db = (await client.query<{ db: string }>('select current_database() as db')).rows[0]!.db;
    await client.query(`grant connect on database ${client.escapeIdentifier(db)} to ${APP_ROLE}`);
    for (const { schema } of subgraphs) {
      await client.query(`create schema if not exists ${client.escapeIdentifier(schema)} authorization ${OWNER_ROLE}`);
      await client.query(`grant usage on schema ${client.escapeIdentifier(schema)} to ${APP_ROLE}`);
    }
  } finally {
    await client.end();
  }
  for (const { schema, migrations } of subgraphs) {
    const orm = await createOrm({ schema, clientUrl: adminUrl, entities: [], migrations, poolMax: 1, role: OWNER_ROLE });
    try {
      await orm.getMigrator().up();
    } finally {
      await orm.close(true);
    }
  }
}
