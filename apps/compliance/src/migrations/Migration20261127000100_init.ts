// Compliance's first schema: controls and the audit outbox.
import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, tenantPolicySql } from '@packets/db';
import { outboxMigrationSql } from '@packets/audit-log';

export class Migration20261127000100_init extends Migration {
  override up(): void {
    const sql = [
      `create table compliance.controls (
        id uuid primary key,
        org_id uuid not null,
        title text not null check (length(title) between 1 and 200),
        description text,
        status text not null default 'NOT_STARTED' check (status in ('NOT_STARTED', 'IN_PROGRESS', 'IMPLEMENTED', 'NOT_APPLICABLE')),
        owner_id uuid,
        implementation_notes text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
      `create index controls_org_created_idx on compliance.controls (org_id, created_at desc, id desc)`,
      `create index controls_owner_idx on compliance.controls (org_id, owner_id)`,
      ...tenantPolicySql('compliance.controls'),
      `grant select, insert, update, delete on compliance.controls to ${APP_ROLE}`,
      ...outboxMigrationSql('compliance'),
    ];
    for (const statement of sql) this.addSql(statement);
  }
}
