// AI settings (consent) and the audit outbox.
import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, tenantPolicySql } from '@packets/db';
import { outboxMigrationSql } from '@packets/audit-log';

export class Migration20261127000300_init extends Migration {
  override up(): void {
    const sql = [
      `create table ai.settings (
        org_id uuid primary key,
        enabled boolean not null default false,
        consented_at timestamptz,
        consented_by uuid,
        withdrawn_at timestamptz,
        provider text not null default 'offline',
        check (not enabled or (consented_at is not null and consented_by is not null))
      )`,
      ...tenantPolicySql('ai.settings'),
      `grant select, insert, update, delete on ai.settings to ${APP_ROLE}`,
      ...outboxMigrationSql('ai'),
    ];
    for (const statement of sql) this.addSql(statement);
  }
}
