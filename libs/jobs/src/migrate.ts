// The jobs schema, made at migration time: pg-boss installs (or migrates) its tables,
// which then belong to the owner role, and the app role gets only what a worker needs
// (rows, not tables). A queue is a partition of jobs.job, which only its owner may attach, so
// pg-boss's create_queue runs as its owner (SECURITY DEFINER, fixed search_path).
import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { JOBS_SCHEMA } from './jobs';

export interface JobsRoles {
  /** owns the schema; migrations run as it */
  owner: string;
  /** what the services connect as */
  app: string;
}

export async function migrateJobs(adminUrl: string, roles: JobsRoles, schema = JOBS_SCHEMA): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  const id = (name: string) => client.escapeIdentifier(name);
  const s = id(schema);
  try {
    await client.query(`create schema if not exists ${s} authorization ${id(roles.owner)}`);
    // as the administrator (pg-boss's CREATE SCHEMA IF NOT EXISTS needs CREATE on the
    // database, which the owner role lacks), then everything it made goes to the owner
    const boss = new PgBoss({
      schema, migrate: true, supervise: false, schedule: false,
      db: { executeSql: async (text: string, values: unknown[]) => client.query(text, values) },
    });
    boss.on('error', () => undefined); // start() rejects with the same error
    await boss.start();
    await boss.stop({ graceful: false, close: false, wait: true });
    await client.query(`do $$ declare r record; begin
      for r in select c.oid::regclass as t from pg_class c where c.relnamespace = ${client.escapeLiteral(schema)}::regnamespace
                 and c.relkind in ('r', 'p', 'v', 'S') and pg_get_userbyid(c.relowner) <> ${client.escapeLiteral(roles.owner)} loop
        execute format('alter table %s owner to %I', r.t, ${client.escapeLiteral(roles.owner)});
      end loop;
      for r in select p.oid::regprocedure as f from pg_proc p where p.pronamespace = ${client.escapeLiteral(schema)}::regnamespace
                 and pg_get_userbyid(p.proowner) <> ${client.escapeLiteral(roles.owner)} loop
        execute format('alter function %s owner to %I', r.f, ${client.escapeLiteral(roles.owner)});
      end loop;
      for r in select t.oid::regtype as ty from pg_type t where t.typnamespace = ${client.escapeLiteral(schema)}::regnamespace
                 and t.typtype = 'e' and pg_get_userbyid(t.typowner) <> ${client.escapeLiteral(roles.owner)} loop
        execute format('alter type %s owner to %I', r.ty, ${client.escapeLiteral(roles.owner)});
      end loop;
    end $$`);
    for (const fn of [`${s}.create_queue(text, json)`, `${s}.delete_queue(text)`]) {
      await client.query(`alter function ${fn} security definer set search_path = pg_catalog, pg_temp`);
      await client.query(`revoke all on function ${fn} from public`);
    }
    await client.query(`grant execute on function ${s}.create_queue(text, json) to ${id(roles.app)}`);
    await client.query(`grant usage on schema ${s} to ${id(roles.app)}`);
    await client.query(`grant select, insert, update, delete on all tables in schema ${s} to ${id(roles.app)}`);
    await client.query(`alter default privileges for role ${id(roles.owner)} in schema ${s} grant select, insert, update, delete on tables to ${id(roles.app)}`);
  } finally {
    await client.end();
  }
}
