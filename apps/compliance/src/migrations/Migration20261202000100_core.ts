// Compliance core tenant tables: imported catalogues, control mappings, programmes,
// evidence (with the org data keys that encrypt its files), policies and settings.
import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, orgKeysMigrationSql, tenantPolicySql } from '@packets/db';

function tenant(table: string, grants: string): string[] {
  return [...tenantPolicySql(table), `grant ${grants} on ${table} to ${APP_ROLE}`];
}

export class Migration20261202000100_core extends Migration {
  override up(): void {
    const sql = [
      // the starter control a control was created from (once per org)
      `alter table compliance.controls add column starter_key text`,
      `create unique index controls_starter_key_idx on compliance.controls (org_id, starter_key) where starter_key is not null`,

      `create table compliance.org_frameworks (
        id uuid primary key,
        org_id uuid not null,
        key text not null check (key ~ '^[a-z][a-z0-9-]*$' and length(key) <= 64),
        version text not null check (length(version) between 1 and 100),
        name text not null check (length(name) between 1 and 200),
        publisher text,
        source text,
        oscal jsonb,
        imported_by uuid,
        created_at timestamptz not null default now(),
        unique (org_id, key, version)
      )`,
      ...tenant('compliance.org_frameworks', 'select, insert'),
      `create table compliance.org_requirements (
        id uuid primary key,
        org_id uuid not null,
        framework_id uuid not null references compliance.org_frameworks (id) on delete cascade,
        position int not null,
        ref text not null check (length(ref) between 1 and 64),
        title text not null check (length(title) between 1 and 200),
        group_title text,
        guidance text,
        kind text,
        parent_ref text,
        oscal jsonb,
        unique (framework_id, ref)
      )`,
      `create index org_requirements_framework_idx on compliance.org_requirements (framework_id, position)`,
      ...tenant('compliance.org_requirements', 'select, insert'),

      // requirement_id names a row of compliance.requirements (built-in) or of
      // compliance.org_requirements (imported by this org): checked by the service
      `create table compliance.control_requirements (
        org_id uuid not null,
        control_id uuid not null references compliance.controls (id) on delete cascade,
        requirement_id uuid not null,
        created_at timestamptz not null default now(),
        primary key (control_id, requirement_id)
      )`,
      `create index control_requirements_requirement_idx on compliance.control_requirements (org_id, requirement_id)`,
      ...tenant('compliance.control_requirements', 'select, insert, delete'),

      `create table compliance.programmes (
        id uuid primary key,
        org_id uuid not null,
        framework_id uuid not null,
        framework_key text not null,
        status text not null default 'NOT_STARTED' check (status in ('NOT_STARTED', 'IN_PROGRESS', 'COMPLIANT', 'CERTIFIED')),
        adopted_by uuid,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (org_id, framework_key)
      )`,
      ...tenant('compliance.programmes', 'select, insert, update'),

      `create table compliance.evidence (
        id uuid primary key,
        org_id uuid not null,
        control_id uuid not null references compliance.controls (id) on delete cascade,
        control_owner_id uuid,
        kind text not null check (kind in ('LINK', 'TEXT', 'FILE')),
        title text not null check (length(title) between 1 and 200),
        url text,
        text_content text,
        file_name text,
        content_type text,
        size_bytes bigint,
        sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
        storage_key text,
        auth_tag text,
        collected_at timestamptz not null,
        expires_at timestamptz,
        created_by uuid,
        created_at timestamptz not null default now(),
        check ((kind = 'LINK') = (url is not null)),
        check ((kind = 'TEXT') = (text_content is not null)),
        check ((kind = 'FILE') = (storage_key is not null and sha256 is not null and auth_tag is not null
                                  and size_bytes is not null and content_type is not null and file_name is not null)),
        check (expires_at is null or expires_at > collected_at)
      )`,
      `create index evidence_control_idx on compliance.evidence (org_id, control_id, created_at desc)`,
      ...tenant('compliance.evidence', 'select, insert'),
      ...orgKeysMigrationSql('compliance'),

      `create table compliance.policies (
        id uuid primary key,
        org_id uuid not null,
        title text not null check (length(title) between 1 and 200),
        created_by uuid,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
      `create index policies_org_idx on compliance.policies (org_id, created_at desc)`,
      ...tenant('compliance.policies', 'select, insert, update'),
      `create table compliance.policy_versions (
        id uuid primary key,
        org_id uuid not null,
        policy_id uuid not null references compliance.policies (id) on delete cascade,
        version int not null check (version > 0),
        body text not null,
        status text not null check (status in ('DRAFT', 'APPROVED', 'PUBLISHED', 'SUPERSEDED')),
        author_id uuid,
        approved_by uuid,
        approved_at timestamptz,
        published_by uuid,
        published_at timestamptz,
        created_at timestamptz not null default now(),
        unique (policy_id, version)
      )`,
      // at most one version being worked on and one in force per policy
      `create unique index policy_versions_open_idx on compliance.policy_versions (policy_id) where status in ('DRAFT', 'APPROVED')`,
      `create unique index policy_versions_published_idx on compliance.policy_versions (policy_id) where status = 'PUBLISHED'`,
      ...tenant('compliance.policy_versions', 'select, insert, update'),
      `create table compliance.policy_acknowledgements (
        id uuid primary key,
        org_id uuid not null,
        policy_version_id uuid not null references compliance.policy_versions (id) on delete cascade,
        user_id uuid not null,
        acknowledged_at timestamptz not null default now(),
        unique (policy_version_id, user_id)
      )`,
      ...tenant('compliance.policy_acknowledgements', 'select, insert'),

      `create table compliance.settings (
        org_id uuid primary key,
        require_policy_approval_by_other boolean not null default false,
        updated_at timestamptz not null default now()
      )`,
      ...tenant('compliance.settings', 'select, insert, update'),
    ];
    for (const statement of sql) this.addSql(statement);
  }
}
