// The jobs schema, made at migration time: pg-boss installs (or migrates) its tables
// as the owner role, then the app role gets only what a worker needs (rows, not
// tables). A queue is a partition of jobs.job, which only its owner may attach, so
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
    await client.query(`set role ${id(roles.owner)}`);
    const boss = new PgBoss({
      schema, migrate: true, supervise: false, schedule: false,
      db: { executeSql: async (text: string, values: unknown[]) => client.query(text, values) },
    });
    boss.on('error', () => undefined); // start() rejects with the same error
    await boss.start();
    await boss.stop({ graceful: false, close: false, wait: true });
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
