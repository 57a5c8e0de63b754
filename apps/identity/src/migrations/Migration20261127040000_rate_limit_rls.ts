// The brute-force counters are not tenant data (keys are accounts and IPs), but
// every table sits under forced row-level security: this one with an explicit
// allow-all policy, so that the rule "no table without RLS" has no exception.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261127040000_rate_limit_rls extends Migration {
  override up(): void {
    this.addSql('alter table identity.rate_limits enable row level security');
    this.addSql('alter table identity.rate_limits force row level security');
    this.addSql('create policy counters_not_tenant_data on identity.rate_limits using (true) with check (true)');
  }
}
