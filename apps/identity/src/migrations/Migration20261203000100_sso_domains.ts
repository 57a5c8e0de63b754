// SSO, issue 8: the email domains an org has proved it owns (DNS TXT) before SSO
// matches anyone on them, one verifying org per domain; and just-in-time membership
// requests that wait for the confirmation of a person who already has an account.
import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, tenantPolicySql } from '@packets/db';

export class Migration20261203000100_sso_domains extends Migration {
  override up(): void {
    const tenantTable = (name: string, ddl: string) => [
      ddl,
      ...tenantPolicySql(`identity.${name}`),
      `grant select, insert, update, delete on identity.${name} to ${APP_ROLE}`,
    ];
    const sql = [
      ...tenantTable('sso_domains', `create table identity.sso_domains (
        id uuid primary key,
        org_id uuid not null references identity.organizations (id) on delete cascade,
        domain text not null check (domain = lower(domain) and length(domain) between 1 and 253),
        token text not null,
        created_at timestamptz not null,
        verified_at timestamptz,
        unique (org_id, domain)
      )`),
      // the index is checked across tenants whatever RLS lets a transaction see
      `create unique index sso_domains_verified_once on identity.sso_domains (domain) where verified_at is not null`,
      // whether another org has verified a domain (before an org context could see it); says nothing of which org
      `create function identity.sso_domain_verified_elsewhere(p_domain text, p_org uuid) returns boolean
        language sql stable security definer set search_path = pg_catalog as $$
        select exists (select 1 from identity.sso_domains where domain = p_domain and org_id <> p_org and verified_at is not null) $$`,
      `revoke all on function identity.sso_domain_verified_elsewhere(text, uuid) from public`,
      `grant execute on function identity.sso_domain_verified_elsewhere(text, uuid) to ${APP_ROLE}`,

      ...tenantTable('sso_join_requests', `create table identity.sso_join_requests (
        id uuid primary key,
        org_id uuid not null references identity.organizations (id) on delete cascade,
        user_id uuid not null references identity.users (id) on delete cascade,
        email text not null,
        role_id uuid not null references identity.roles (id) on delete cascade,
        token_hash text not null unique,
        created_at timestamptz not null,
        expires_at timestamptz not null,
        confirmed_at timestamptz
      )`),
      `create index sso_join_requests_user on identity.sso_join_requests (org_id, user_id)`,
      `create function identity.sso_join_by_token(p_hash text) returns table (join_id uuid, org_id uuid)
        language sql stable security definer set search_path = pg_catalog as $$
        select id, org_id from identity.sso_join_requests where token_hash = p_hash $$`,
      `revoke all on function identity.sso_join_by_token(text) from public`,
      `grant execute on function identity.sso_join_by_token(text) to ${APP_ROLE}`,
    ];
    for (const statement of sql) this.addSql(statement);
  }
}
