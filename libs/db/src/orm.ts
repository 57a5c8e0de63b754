// One MikroORM instance per subgraph, bound to that subgraph's PostgreSQL schema.
import { AsyncLocalStorage } from 'node:async_hooks';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { ChangeSetType, type EventSubscriber, type FlushEventArgs, type MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { postgresSsl } from './url';

/**
 * Counts SQL statements sent by every ORM in this process (tests and benchmarks
 * read it): in all, and per subgraph schema with the transactions begun there.
 */
export const sqlStatements = {
  count: 0,
  bySchema: {} as Record<string, { count: number; begins: number }>,
};

/** One created or updated row, as the flush is about to write it. */
export interface EntityWrite {
  /** entity class name (ControlEntity) */
  entity: string;
  kind: 'create' | 'update';
  /** the row as loaded (null for a create) */
  before: Record<string, unknown> | null;
  /** the row as it will be written */
  after: Record<string, unknown>;
  /** property names this write sets: changed ones on update, non-default ones on create */
  changed: string[];
}

/**
 * The check every flush passes while a request runs (set by libs/graphql around each
 * root field, with the actor's field-level rules): throwing from it aborts the flush,
 * so the request's transaction writes nothing. Work outside a request (migrations,
 * relays, jobs) runs without one.
 */
export const flushGuard = new AsyncLocalStorage<(writes: EntityWrite[]) => void>();

const defaultsByClass = new WeakMap<object, Record<string, unknown>>();

/** Property initialisers of an entity class (`status = 'NOT_STARTED'`): a create leaving them is not the actor setting them. */
function classDefaults(cls: (new () => object) | undefined): Record<string, unknown> {
  if (!cls) return {};
  let defaults = defaultsByClass.get(cls);
  if (!defaults) {
    try {
      defaults = { ...new cls() };
    } catch {
      defaults = {};
    }
    defaultsByClass.set(cls, defaults);
  }
  return defaults;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b || (a === null && b === undefined) || (a === undefined && b === null);
}

class FlushGuardSubscriber implements EventSubscriber {
  onFlush(args: FlushEventArgs): void {
    const guard = flushGuard.getStore();
    if (!guard) return;
    const writes: EntityWrite[] = [];
    for (const cs of args.uow.getChangeSets()) {
      if (cs.type !== ChangeSetType.CREATE && cs.type !== ChangeSetType.UPDATE) continue;
      const after = { ...(cs.entity as Record<string, unknown>) };
      const payload = Object.keys(cs.payload as object);
      if (cs.type === ChangeSetType.CREATE) {
        const defaults = classDefaults(cs.meta.class as unknown as new () => object);
        writes.push({ entity: cs.meta.className, kind: 'create', before: null, after, changed: payload.filter((p) => !sameValue(after[p], defaults[p])) });
      } else {
        writes.push({ entity: cs.meta.className, kind: 'update', before: { ...after, ...(cs.originalEntity as Record<string, unknown>) }, after, changed: payload });
      }
    }
    if (writes.length > 0) guard(writes);
  }
}

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
  const ssl = postgresSsl(opts.clientUrl);
  return {
    clientUrl: opts.clientUrl,
    // sslmode and sslrootcert in the URL (MikroORM itself reads only host, port, user, password, database)
    ...(ssl === undefined ? {} : { driverOptions: { connection: { ssl } } }),
    schema: opts.schema,
    entities: opts.entities,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ensureDatabase: false,
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    subscribers: [new FlushGuardSubscriber()],
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
  const mine = (sqlStatements.bySchema[opts.schema] ??= { count: 0, begins: 0 });
  orm.em.getConnection().getKnex().on('query', (q: { sql?: unknown }) => {
    sqlStatements.count += 1;
    mine.count += 1;
    if (typeof q.sql === 'string' && /^\s*begin\b/i.test(q.sql)) mine.begins += 1;
  });
  return orm;
}
