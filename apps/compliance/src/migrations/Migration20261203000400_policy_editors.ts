// Every actor who wrote a policy version's text: its author and each later editor.
// "Approved by someone other than the author" means by none of them (issue 8,
// finding 9: editing someone else's draft and then approving it got past a check
// of the author alone). Rows are only ever added, never changed.
import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, tenantPolicySql } from '@packets/db';

export class Migration20261203000400_policy_editors extends Migration {
  override up(): void {
    const sql = [
      `create table compliance.policy_version_editors (
        org_id uuid not null,
        policy_version_id uuid not null references compliance.policy_versions (id) on delete cascade,
        actor_type text not null check (actor_type in ('user', 'apiKey')),
        actor_id uuid not null,
        first_edited_at timestamptz not null default now(),
        primary key (policy_version_id, actor_type, actor_id)
      )`,
      ...tenantPolicySql('compliance.policy_version_editors'),
      `grant select, insert on compliance.policy_version_editors to ${APP_ROLE}`,
      // versions written before editors were tracked: their author is all that is known
      `insert into compliance.policy_version_editors (org_id, policy_version_id, actor_type, actor_id, first_edited_at)
        select org_id, id, 'user', author_id, created_at from compliance.policy_versions where author_id is not null`,
    ];
    for (const statement of sql) this.addSql(statement);
  }
}
