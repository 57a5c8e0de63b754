// Outbox claims and one-statement access events (issue 8: durable reads, finding 7):
// the relay's delete clears only the rows its own transaction claimed, the app role
// keeps INSERT alone on the outbox, and reads append their access event through
// outbox_append. See libs/audit-log/src/outbox.ts (outboxClaimsMigrationSql).
import { Migration } from '@mikro-orm/migrations';
import { outboxClaimsMigrationSql } from '@packets/audit-log';

export class Migration20261203000700_outbox_claims extends Migration {
  override up(): void {
    for (const sql of outboxClaimsMigrationSql('audit')) this.addSql(sql);
  }
}
