// Per-organisation data keys of one subgraph, kept wrapped in `<schema>.org_keys`
// (a tenant table). Unwrapped keys are cached in memory for the process.
import type { EntityManager } from '@mikro-orm/postgresql';
import { newDataKey, unwrapDataKey, wrapDataKey } from '@packets/crypto';
import { tenantPolicySql } from './tenant';
import { APP_ROLE } from './url';

export class OrgKeyring {
  private readonly cache = new Map<string, Buffer>();

  constructor(private readonly schema: string, private readonly masterKey: Buffer) {}

  /** Must run inside the org's tenant transaction. Creates the key on first use. */
  async dataKey(em: EntityManager, orgId: string): Promise<Buffer> {
    const cached = this.cache.get(orgId);
    if (cached) return cached;
    const rows = await em.execute<{ wrapped_key: string }[]>(
      `select wrapped_key from "${this.schema}".org_keys where org_id = ?`, [orgId],
    );
    let key: Buffer;
    if (rows[0]) {
      key = unwrapDataKey(this.masterKey, rows[0].wrapped_key, orgId);
    } else {
      key = newDataKey();
      const inserted = await em.execute<{ wrapped_key: string }[]>(
        `insert into "${this.schema}".org_keys (org_id, wrapped_key) values (?, ?)
         on conflict (org_id) do update set org_id = excluded.org_id returning wrapped_key`,
        [orgId, wrapDataKey(this.masterKey, key, orgId)],
      );
      // a concurrent first use may have won: use whichever key is stored
      key = unwrapDataKey(this.masterKey, inserted[0]!.wrapped_key, orgId);
    }
    this.cache.set(orgId, key);
    return key;
  }
}

/** Migration statements for a subgraph's key table. */
export function orgKeysMigrationSql(schema: string): string[] {
  const t = `"${schema}".org_keys`;
  return [
    `create table ${t} (org_id uuid primary key, wrapped_key text not null, created_at timestamptz not null default now())`,
    ...tenantPolicySql(t),
    `grant select, insert, update on ${t} to ${APP_ROLE}`,
  ];
}
