// Identity's first schema: organisations, users, memberships, roles, sessions and
// the audit outbox, all tenant tables under row-level security.
import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, tenantPolicySql } from '@packets/db';
import { outboxMigrationSql } from '@packets/audit-log';

export class Migration20261127000000_init extends Migration {
  override up(): void {
    const sql = [
      `create table identity.organizations (
        id uuid primary key,
        name text not null check (length(name) between 1 and 200),
        slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
        region text not null default 'IN',
        session_idle_timeout_minutes int not null default 30 check (session_idle_timeout_minutes between 5 and 1440),
        session_absolute_lifetime_minutes int not null default 720 check (session_absolute_lifetime_minutes between 15 and 43200),
        mfa_required boolean not null default false,
        created_at timestamptz not null default now()
      )`,
      ...tenantPolicySql('identity.organizations', 'id'),

      `create table identity.users (
        id uuid primary key,
        email text not null unique check (email = lower(email)),
        name text not null check (length(name) between 1 and 200),
        password_hash text not null,
        created_at timestamptz not null default now()
      )`,
      `create table identity.memberships (
        id uuid primary key,
        org_id uuid not null references identity.organizations (id) on delete cascade,
        user_id uuid not null references identity.users (id) on delete cascade,
        created_at timestamptz not null default now(),
        unique (org_id, user_id)
      )`,
      `create index memberships_user_idx on identity.memberships (user_id)`,
      ...tenantPolicySql('identity.memberships'),
      // Users are global, but an org sees a user only through one of its memberships.
      `alter table identity.users enable row level security`,
      `alter table identity.users force row level security`,
      `create policy member_of_current_org on identity.users for select using (
        current_user = 'packets_owner' or exists (select 1 from identity.memberships m where m.user_id = users.id
          and m.org_id = nullif(current_setting('app.org_id', true), '')::uuid))`,
      `create policy member_of_current_org_update on identity.users for update using (
        exists (select 1 from identity.memberships m where m.user_id = users.id
          and m.org_id = nullif(current_setting('app.org_id', true), '')::uuid))`,
      `create policy sign_up on identity.users for insert with check (nullif(current_setting('app.org_id', true), '') is not null)`,

      `create table identity.roles (
        id uuid primary key,
        org_id uuid not null references identity.organizations (id) on delete cascade,
        name text not null check (length(name) between 1 and 100),
        description text not null default '',
        system boolean not null default false,
        rules jsonb not null,
        created_at timestamptz not null default now(),
        unique (org_id, name)
      )`,
      ...tenantPolicySql('identity.roles'),
      `create table identity.membership_roles (
        membership_id uuid not null references identity.memberships (id) on delete cascade,
        role_id uuid not null references identity.roles (id) on delete restrict,
        org_id uuid not null references identity.organizations (id) on delete cascade,
        primary key (membership_id, role_id)
      )`,
      ...tenantPolicySql('identity.membership_roles'),

      `create table identity.sessions (
        id uuid primary key,
        org_id uuid not null references identity.organizations (id) on delete cascade,
        user_id uuid not null references identity.users (id) on delete cascade,
        token_hash text not null unique,
        created_at timestamptz not null,
        last_seen_at timestamptz not null,
        expires_at timestamptz not null,
        revoked_at timestamptz,
        ip text,
        user_agent text
      )`,
      `create index sessions_user_idx on identity.sessions (org_id, user_id)`,
      ...tenantPolicySql('identity.sessions'),

      ...outboxMigrationSql('identity'),

      // Look-ups that must happen before an org context exists. Each returns ids
      // only (or a password hash for the sign-in check) and nothing else.
      `create function identity.org_id_by_slug(p_slug text) returns uuid
        language sql stable security definer set search_path = pg_catalog as $$
          select id from identity.organizations where slug = p_slug $$`,
      `create function identity.credentials_by_email(p_email text) returns table (user_id uuid, password_hash text)
        language sql stable security definer set search_path = pg_catalog as $$
          select id, password_hash from identity.users where email = p_email $$`,
      `create function identity.session_by_token(p_hash text) returns table (session_id uuid, org_id uuid)
        language sql stable security definer set search_path = pg_catalog as $$
          select id, org_id from identity.sessions where token_hash = p_hash $$`,
      ...['org_id_by_slug(text)', 'credentials_by_email(text)', 'session_by_token(text)'].flatMap((f) => [
        `revoke all on function identity.${f} from public`,
        `grant execute on function identity.${f} to ${APP_ROLE}`,
      ]),
      ...['organizations', 'users', 'memberships', 'roles', 'membership_roles', 'sessions'].map(
        (t) => `grant select, insert, update, delete on identity.${t} to ${APP_ROLE}`,
      ),
    ];
    for (const statement of sql) this.addSql(statement);
  }
}
