import { OWNER_ROLE } from './url';
// Tenant transactions: every query against tenant tables runs inside one, with
// app.org_id set for row-level security. RLS is the second wall behind CASL.
import type { EntityManager } from '@mikro-orm/postgresql';

export async function tenantTx<T>(em: EntityManager, orgId: string, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  return em.transactional(async (tem) => {
    await tem.execute(`select set_config('app.org_id', ?, true)`, [orgId]);
    return fn(tem);
  });
}

/**
 * The policy every tenant table carries (written into migrations). Rows are
 * visible and writable only for the org of the current tenant transaction. The
 * owner role is let through so that the few SECURITY DEFINER functions (look-ups
 * that must precede an org context: sign-in by slug, session by token, the outbox
 * relay) can work; the app role can never become the owner.
 */
export function tenantPolicySql(table: string, column = 'org_id'): string[] {
  const scope = `${column} = nullif(current_setting('app.org_id', true), '')::uuid or current_user = '${OWNER_ROLE}'`;
  return [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table} using (${scope}) with check (${scope})`,
  ];
}
