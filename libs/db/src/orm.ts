// One MikroORM instance per subgraph, bound to that subgraph's PostgreSQL schema.
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import type { MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';

/** Counts SQL statements sent by every ORM in this process (tests and benchmarks read it). */
export const sqlStatements = { count: 0 };

export interface OrmOptions {
  schema: string;
  clientUrl: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- MikroORM takes entity classes as constructors
  entities: Function[];
  migrations?: MigrationObject[];
  poolMax?: number;
  /** run every connection as this role (migrations run as the owner role) */
  role?: string;
}

export function ormConfig(opts: OrmOptions): Options {
  return {
    clientUrl: opts.clientUrl,
    schema: opts.schema,
    entities: opts.entities,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ensureDatabase: false,
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    pool: {
      min: 0,
      max: opts.poolMax ?? 10,
      ...(opts.role
        ? {
            afterCreate: (conn: { query: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) => {
              conn.query(`set role ${opts.role}`, (err) => done(err, conn));
            },
          }
        : {}),
    },
    migrations: {
      tableName: `${opts.schema}.mikro_orm_migrations`,
      migrationsList: opts.migrations ?? [],
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  };
}

export async function createOrm(opts: OrmOptions): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(opts));
  orm.em.getConnection().getKnex().on('query', () => { sqlStatements.count += 1; });
  return orm;
}
