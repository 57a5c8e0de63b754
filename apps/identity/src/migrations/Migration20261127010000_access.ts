// Identity, part two: invitations, API keys, MFA (TOTP factors, recovery codes,
// sign-in challenges), SSO connections and login states, per-org data keys, and the
// brute-force counters.
import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, orgKeysMigrationSql, tenantPolicySql } from '@packets/db';

/** A SECURITY DEFINER look-up by token hash, for a request that has no org context yet. */
const lookup = (fn: string, returns: string, body: string) => [
  `create function identity.${fn}(p_hash text) returns table (${returns})
    language sql stable security definer set search_path = pg_catalog as $$ ${body} $$`,
  `revoke all on function identity.${fn}(text) from public`,
  `grant execute on function identity.${fn}(text) to ${APP_ROLE}`,
];

export class Migration20261127010000_access extends Migration {
  override up(): void {
    const tenantTable = (name: string, ddl: string) => [
      ddl,
      ...tenantPolicySql(`identity.${name}`),
      `grant select, insert, update, delete on identity.${name} to ${APP_ROLE}`,
    ];
    const sql = [
      `alter table identity.sessions add column mfa_enrollment_required boolean not null default false`,
      `alter table identity.sessions add column method text not null default 'password' check (method in ('password', 'mfa', 'sso', 'invitation'))`,

      ...tenantTable('invitations', `create table identity.invitations (
        id uuid primary key,
        org_id uuid not null references identity.organizations (id) on delete cascade,
        email text not null check (email = lower(email)),
        role_ids uuid[] not null,
        token_hash text not null unique,
        invited_by uuid not null references identity.users (id),
        created_at timestamptz not null,
        expires_at timestamptz not null,
        accepted_at timestamptz,
        revoked_at timestamptz
      )`),
      ...tenantTable('api_keys', `create table identity.api_keys (
        id uuid primary key,
        org_id uuid not null references identity.organizations (id) on delete cascade,
        name text not null check (length(name) between 1 and 100),
        role_id uuid not null references identity.roles (id) on delete restrict,
        key_hash text not null unique,
        prefix text not null,
        created_by uuid not null references identity.users (id),
        created_at timestamptz not null,
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz
      )`),
      ...tenantTable('mfa_factors', `create table identity.mfa_factors (
        org_id uuid not null references identity.organizations (id) on delete cascade,
        user_id uuid not null references identity.users (id) on delete cascade,
        secret_enc text not null,
        created_at timestamptz not null,
        confirmed_at timestamptz,
        last_used_step bigint not null default 0,
        primary key (org_id, user_id)
      )`),
      ...tenantTable('recovery_codes', `create table identity.recovery_codes (
        id uuid primary key,
        org_id uuid not null references identity.organizations (id) on delete cascade,
        user_id uuid not null references identity.users (id) on delete cascade,
        code_hash text not null,
        used_at timestamptz
      )`),
      `create index recovery_codes_user_idx on identity.recovery_codes (org_id, user_id)`,
      ...tenantTable('mfa_challenges', `create table identity.mfa_challenges (
        id uuid primary key,
        org_id uuid not null references identity.organizations (id) on delete cascade,
        user_id uuid not null references identity.users (id) on delete cascade,
        token_hash text not null unique,
        created_at timestamptz not null,
        expires_at timestamptz not null,
        used_at timestamptz
      )`),
      ...tenantTable('sso_connections', `create table identity.sso_connections (
        org_id uuid primary key references identity.organizations (id) on delete cascade,
        issuer text not null,
        client_id text not null,
        client_secret_enc text not null,
        allowed_domains text[] not null,
        jit_enabled boolean not null default false,
        default_role_id uuid references identity.roles (id) on delete restrict,
        updated_at timestamptz not null
      )`),
      ...tenantTable('sso_states', `create table identity.sso_states (
        id uuid primary key,
        org_id uuid not null references identity.organizations (id) on delete cascade,
        state_hash text not null unique,
        nonce text not null,
        code_verifier_enc text not null,
        created_at timestamptz not null,
        expires_at timestamptz not null,
        used_at timestamptz
      )`),
      ...orgKeysMigrationSql('identity'),

      // rate-limiter-flexible's table: counters keyed by account or IP, not tenant data
      `create table identity.rate_limits (key varchar(255) primary key, points integer not null default 0, expire bigint)`,
      `grant select, insert, update, delete on identity.rate_limits to ${APP_ROLE}`,

      ...lookup('api_key_by_hash', 'api_key_id uuid, org_id uuid',
        'select id, org_id from identity.api_keys where key_hash = p_hash'),
      ...lookup('invitation_by_token', 'invitation_id uuid, org_id uuid',
        'select id, org_id from identity.invitations where token_hash = p_hash'),
      ...lookup('mfa_challenge_by_token', 'challenge_id uuid, org_id uuid',
        'select id, org_id from identity.mfa_challenges where token_hash = p_hash'),
      ...lookup('sso_state_by_hash', 'state_id uuid, org_id uuid',
        'select id, org_id from identity.sso_states where state_hash = p_hash'),
    ];
    for (const statement of sql) this.addSql(statement);
  }
}
